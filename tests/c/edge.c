/* Argument checking: NULL, zero lengths, huge lengths, small buffers, unknown values,
 * overlapping buffers, and outputs written only on success. */
#include <stdint.h>

#include "harness.h"

static const werun_vector *sample;
static size_t key_len, iv_len, data_len;
static uint8_t scratch[4096];
static werun_step steps[WERUN_DEFAULT_CAPACITY];
static werun_summary summary;

#define KEY ((const uint8_t *)sample->session_key)
#define IV ((const uint8_t *)sample->iv)
#define DATA ((const uint8_t *)sample->encrypted_data)

static const werun_summary SENTINEL = {0xABABABAB, 0x0BADF00D, 0xAB};
static const werun_open_data_result RESULT_SENTINEL = {0xABABABAB, 0x0BADF00D, 0xAB};

static int result_untouched(const werun_open_data_result *r) {
  return r->json_len == RESULT_SENTINEL.json_len &&
         r->watermark_timestamp == RESULT_SENTINEL.watermark_timestamp &&
         r->has_watermark == RESULT_SENTINEL.has_watermark;
}

static int untouched(const werun_summary *s) {
  return s->count == SENTINEL.count && s->watermark_timestamp == SENTINEL.watermark_timestamp &&
         s->has_watermark == SENTINEL.has_watermark;
}

/* werun_decrypt_steps with the sample, overriding some arguments. When the call gets the
 * static step array, it is filled with a pattern first: on statuses 2..=10 the entries passed
 * must be zeroed, on the argument errors (1, 12) left as they were, and past the capacity never
 * written. */
static uint32_t call(const uint8_t *key, size_t klen, const uint8_t *iv, size_t ivlen,
                     const uint8_t *data, size_t dlen, const werun_options *o, uint8_t *scr,
                     size_t slen, werun_step *st, size_t cap, werun_summary *out) {
  uintptr_t o_at = (uintptr_t)(void *)out, s_at = (uintptr_t)(void *)steps;
  int own_steps = st == steps && cap <= WERUN_DEFAULT_CAPACITY &&
                  (o_at + sizeof *out <= s_at || o_at >= s_at + sizeof steps);
  if (own_steps) memset(steps, PATTERN, sizeof steps);
  if (out) *out = SENTINEL; /* after: out may lie in the steps */
  uint32_t status = werun_decrypt_steps(key, klen, iv, ivlen, data, dlen, o, scr, slen, st, cap, out);
  if (status != WERUN_STATUS_OK && out)
    CHECK(untouched(out), "out_summary written on failure (status %u)", status);
  if (own_steps) {
    for (size_t i = 0; i < WERUN_DEFAULT_CAPACITY; i++) {
      if (i < cap && status >= 2 && status <= 10)
        CHECK(step_is_zero(&steps[i]), "step %zu not zeroed (status %u)", i, status);
      else if (i >= cap || status != WERUN_STATUS_OK)
        CHECK(step_is_pattern(&steps[i]), "step %zu written (status %u, capacity %zu)", i,
              status, cap);
    }
  }
  return status;
}

/* ------------------------------------------------------------------------------------------
 * Overlaps: every input (session_key, iv, encrypted_data, appid) overlapping every buffer the
 * call writes, and every pair of written buffers, for every entry point. All buffers live in
 * one arena; each has a home in the middle of a slot of its own, and one is moved to overlap
 * another by one byte (or its alignment) at either end: INVALID_ARGUMENT. Moved right next to
 * it instead, the sample decrypts, so the refusal is the overlap's doing. The inputs hold
 * their real text (written last), so a call that missed an overlap would decrypt. */

enum buf { B_KEY, B_IV, B_DATA, B_APPID, B_SCRATCH, B_STEPS, B_OUT, B_IN_PLACE, B_COUNT };
enum api { A_STEPS, A_STEPS_IN_PLACE, A_OPEN, A_OPEN_IN_PLACE, A_DIAGNOSE, A_COUNT };

static const char *const buf_names[B_COUNT] = {"session_key", "iv", "encrypted_data", "appid",
                                               "scratch", "out_steps", "out_*",
                                               "in-place encrypted_data"};
static const char *const api_names[A_COUNT] = {"werun_decrypt_steps",
                                               "werun_decrypt_steps_in_place", "werun_open_data",
                                               "werun_open_data_in_place", "werun_diagnose"};
/* Per entry point: the buffers it reads and writes (B_COUNT ends a list). */
static const enum buf api_inputs[A_COUNT][5] = {
    {B_KEY, B_IV, B_DATA, B_APPID, B_COUNT}, {B_KEY, B_IV, B_APPID, B_COUNT, B_COUNT},
    {B_KEY, B_IV, B_DATA, B_APPID, B_COUNT}, {B_KEY, B_IV, B_APPID, B_COUNT, B_COUNT},
    {B_KEY, B_IV, B_DATA, B_COUNT, B_COUNT}};
static const enum buf api_writable[A_COUNT][4] = {
    {B_SCRATCH, B_STEPS, B_OUT, B_COUNT}, {B_IN_PLACE, B_STEPS, B_OUT, B_COUNT},
    {B_SCRATCH, B_OUT, B_COUNT, B_COUNT}, {B_IN_PLACE, B_OUT, B_COUNT, B_COUNT},
    {B_SCRATCH, B_OUT, B_COUNT, B_COUNT}};

#define SLOT 8192
#define HOME 4096
static _Alignas(16) uint8_t arena[B_COUNT * SLOT];

static size_t buf_len(enum api a, enum buf b) {
  switch (b) {
    case B_KEY: return key_len;
    case B_IV: return iv_len;
    case B_DATA: case B_IN_PLACE: return data_len;
    case B_APPID: return strlen(sample->appid);
    case B_SCRATCH: return werun_scratch_len(data_len);
    case B_STEPS: return WERUN_DEFAULT_CAPACITY * sizeof(werun_step);
    case B_OUT:
      return a == A_DIAGNOSE ? sizeof(uint32_t)
             : a == A_OPEN || a == A_OPEN_IN_PLACE ? sizeof(werun_open_data_result)
                                                    : sizeof(werun_summary);
    default: return 0;
  }
}

static size_t buf_align(enum api a, enum buf b) {
  if (b == B_STEPS) return _Alignof(werun_step);
  if (b != B_OUT) return 1;
  return a == A_DIAGNOSE ? _Alignof(uint32_t)
         : a == A_OPEN || a == A_OPEN_IN_PLACE ? _Alignof(werun_open_data_result)
                                                : _Alignof(werun_summary);
}

static uint32_t call_at(enum api a, const size_t at[B_COUNT]) {
  memset(arena, PATTERN, sizeof arena);
  /* Written buffers first, inputs last, so that an input over a written buffer is intact. */
  memcpy(arena + at[B_IN_PLACE], sample->encrypted_data, data_len);
  memcpy(arena + at[B_DATA], sample->encrypted_data, data_len);
  memcpy(arena + at[B_APPID], sample->appid, strlen(sample->appid));
  memcpy(arena + at[B_IV], sample->iv, iv_len);
  memcpy(arena + at[B_KEY], sample->session_key, key_len);
  werun_options o = vector_options(sample);
  o.appid = arena + at[B_APPID];
  const uint8_t *k = arena + at[B_KEY], *i = arena + at[B_IV], *d = arena + at[B_DATA];
  uint8_t *scr = arena + at[B_SCRATCH], *in_place = arena + at[B_IN_PLACE];
  void *st = arena + at[B_STEPS], *out = arena + at[B_OUT];
  size_t slen = werun_scratch_len(data_len);
  switch (a) {
    case A_STEPS:
      return werun_decrypt_steps(k, key_len, i, iv_len, d, data_len, &o, scr, slen,
                                 (werun_step *)st, WERUN_DEFAULT_CAPACITY, (werun_summary *)out);
    case A_STEPS_IN_PLACE:
      return werun_decrypt_steps_in_place(k, key_len, i, iv_len, in_place, data_len, &o,
                                          (werun_step *)st, WERUN_DEFAULT_CAPACITY,
                                          (werun_summary *)out);
    case A_OPEN:
      return werun_open_data(k, key_len, i, iv_len, d, data_len, &o, scr, slen,
                             (werun_open_data_result *)out);
    case A_OPEN_IN_PLACE:
      return werun_open_data_in_place(k, key_len, i, iv_len, in_place, data_len, &o,
                                      (werun_open_data_result *)out);
    default:
      return werun_diagnose(k, key_len, i, iv_len, d, data_len, 0, scr, slen, (uint32_t *)out);
  }
}

static size_t align_down(size_t n, size_t a) { return n / a * a; }
static size_t align_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

/* Moves `x` to overlap `w` at either end (INVALID_ARGUMENT) and next to it on either side
 * (OK); returns how many calls were refused. */
static int check_overlaps(enum api a, enum buf x, enum buf w) {
  size_t home[B_COUNT];
  for (int b = 0; b < B_COUNT; b++) home[b] = (size_t)b * SLOT + HOME;
  size_t xl = buf_len(a, x), xa = buf_align(a, x), wl = buf_len(a, w), wa = home[w];
  struct {
    const char *how;
    size_t at;
    int overlaps;
  } placed[4] = {{"ends inside the start of", align_up(wa + 1 - xl, xa), 1},
                 {"starts inside the end of", align_down(wa + wl - 1, xa), 1},
                 {"ends right before", align_down(wa - xl, xa), 0},
                 {"starts right after", align_up(wa + wl, xa), 0}};
  int refused = 0;
  for (int p = 0; p < 4; p++) {
    size_t at[B_COUNT];
    memcpy(at, home, sizeof at);
    at[x] = placed[p].at;
    int meets = at[x] < wa + wl && wa < at[x] + xl;
    CHECK(meets == placed[p].overlaps && at[x] > wa - HOME && at[x] + xl < wa - HOME + SLOT,
          "overlap test layout: %s %s %s", buf_names[x], placed[p].how, buf_names[w]);
    uint32_t want = placed[p].overlaps ? WERUN_STATUS_INVALID_ARGUMENT : WERUN_STATUS_OK;
    uint32_t got = call_at(a, at);
    CHECK(got == want, "%s: %s %s %s: status %u, want %u", api_names[a], buf_names[x],
          placed[p].how, buf_names[w], got, want);
    refused += got == WERUN_STATUS_INVALID_ARGUMENT;
  }
  return refused;
}

static void test_overlaps(void) {
  size_t home[B_COUNT];
  for (int b = 0; b < B_COUNT; b++) home[b] = (size_t)b * SLOT + HOME;
  CHECK(data_len < HOME - 8, "the sample does not fit the overlap arena");
  int inputs_refused = 0, pairs_refused = 0;
  for (int a = 0; a < A_COUNT; a++) {
    CHECK(call_at((enum api)a, home) == WERUN_STATUS_OK, "%s: disjoint layout", api_names[a]);
    for (const enum buf *w = api_writable[a]; *w != B_COUNT; w++) {
      for (const enum buf *x = api_inputs[a]; *x != B_COUNT; x++)
        inputs_refused += check_overlaps((enum api)a, *x, *w);
      for (const enum buf *x = api_writable[a]; *x != B_COUNT; x++)
        if (*x != *w) pairs_refused += check_overlaps((enum api)a, *x, *w);
    }
  }
  /* 2 overlapping placements x (4x3 + 3x3 + 4x2 + 3x2 + 3x2 inputs; 6+6+2+2+2 pairs). */
  CHECK(inputs_refused == 2 * 41, "%d input overlaps refused", inputs_refused);
  CHECK(pairs_refused == 2 * 18, "%d buffer pair overlaps refused", pairs_refused);
}

int main(void) {
  sample = &werun_vectors[0];
  key_len = strlen(sample->session_key);
  iv_len = strlen(sample->iv);
  data_len = strlen(sample->encrypted_data);
  werun_options opts = vector_options(sample);
  uint32_t s;

  /* The baseline works. */
  s = call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps,
           WERUN_DEFAULT_CAPACITY, &summary);
  CHECK(s == WERUN_STATUS_OK && summary.count == 31, "baseline: %u", s);

  /* NULL pointers with a length are NULL_ARGUMENT; required pointers too. */
  CHECK(call(NULL, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL key");
  CHECK(call(KEY, key_len, NULL, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL iv");
  CHECK(call(KEY, key_len, IV, iv_len, NULL, data_len, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL data");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, NULL, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL options");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, NULL, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL scratch");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, NULL, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL steps");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, NULL) == WERUN_STATUS_NULL_ARGUMENT, "NULL out_summary");
  werun_options null_appid = opts;
  null_appid.appid = NULL;
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &null_appid, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "NULL appid without the skip flag");
  werun_options zeroed;
  memset(&zeroed, 0, sizeof zeroed);
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &zeroed, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_NULL_ARGUMENT, "a zeroed werun_options never skips the appid check");

  /* NULL with length 0 is an empty input: the next check decides. */
  CHECK(call(NULL, 0, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_SESSION_KEY_INVALID, "empty key");
  CHECK(call(KEY, key_len, NULL, 0, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_IV_INVALID, "empty iv");
  CHECK(call(KEY, key_len, IV, iv_len, NULL, 0, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_CIPHERTEXT_LENGTH, "empty data");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, NULL, 0, steps, 32, &summary) == WERUN_STATUS_BUFFER_TOO_SMALL, "empty scratch");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, NULL, 0, &summary) == WERUN_STATUS_CAPACITY_EXCEEDED, "no step array");

  /* Too small: scratch one byte short, capacity one entry short; exact sizes work. */
  size_t ct_len = 1248;
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, ct_len - 1, steps, 32, &summary) == WERUN_STATUS_BUFFER_TOO_SMALL, "scratch short");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, ct_len, steps, 31, &summary) == WERUN_STATUS_OK, "exact sizes");
  for (size_t i = 0; i < 30; i++) steps[i].step = 12345;
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 30, &summary) == WERUN_STATUS_CAPACITY_EXCEEDED, "capacity short");
  for (size_t i = 0; i < 30; i++) CHECK(steps[i].step == 0 && steps[i].timestamp == 0, "step %zu not zeroed", i);
  for (size_t i = 0; i < ct_len; i++) CHECK(scratch[i] == 0, "scratch byte %zu not wiped", i);
  CHECK(werun_scratch_len(data_len) >= ct_len, "werun_scratch_len");

  /* Huge lengths (above PTRDIFF_MAX) are refused before any access. */
  CHECK(call(KEY, SIZE_MAX, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "huge key length");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, (size_t)PTRDIFF_MAX + 1, &opts, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "huge data length");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, SIZE_MAX, steps, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "huge scratch length");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, SIZE_MAX / 2, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "huge capacity");

  /* Unknown and contradictory flags. */
  werun_options bad = opts;
  bad.flags = 1u << 20;
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &bad, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "unknown flag");
  bad = opts;
  bad.flags = WERUN_OPTION_SKIP_APPID_CHECK;
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &bad, scratch, sizeof scratch, steps, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "appid with the skip flag");
  uint32_t d;
  CHECK(werun_diagnose(KEY, key_len, IV, iv_len, DATA, data_len, WERUN_OPTION_CHECK_FRESHNESS, scratch, sizeof scratch, &d) == WERUN_STATUS_INVALID_ARGUMENT, "diagnose flags");

  /* Overlapping buffers are refused (every combination: test_overlaps). */
  test_overlaps();
  static uint8_t shared[8192];
  memcpy(shared, sample->encrypted_data, data_len);
  CHECK(call(KEY, key_len, IV, iv_len, shared, data_len, &opts, shared + 100, 2000, steps, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "scratch overlaps data");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, (werun_step *)(void *)scratch, 32, &summary) == WERUN_STATUS_INVALID_ARGUMENT, "steps overlap scratch");
  CHECK(call(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, steps, 32, (werun_summary *)(void *)steps) == WERUN_STATUS_INVALID_ARGUMENT, "summary overlaps steps");

  /* The in-place call: on failure the outputs are untouched too. */
  memcpy(shared, sample->encrypted_data, data_len);
  werun_summary in_place = SENTINEL;
  s = werun_decrypt_steps_in_place(KEY, key_len, IV, iv_len, shared, data_len, &opts, steps, 32, &in_place);
  CHECK(s == WERUN_STATUS_OK && in_place.count == 31, "in place: %u", s);
  for (size_t i = 0; i + 12 <= data_len; i++)
    CHECK(memcmp(shared + i, "stepInfoList", 12) != 0, "plaintext left in the in-place buffer");
  in_place = SENTINEL;
  CHECK(werun_decrypt_steps_in_place(KEY, key_len, IV, iv_len, NULL, 5, &opts, steps, 32, &in_place) == WERUN_STATUS_NULL_ARGUMENT && untouched(&in_place), "in place NULL");

  /* Open data: out untouched on failure, and NULL checks. */
  werun_open_data_result od = RESULT_SENTINEL;
  CHECK(werun_open_data(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, 10, &od) == WERUN_STATUS_BUFFER_TOO_SMALL && result_untouched(&od), "open data out untouched");
  od = RESULT_SENTINEL;
  CHECK(werun_open_data(NULL, 0, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, &od) == WERUN_STATUS_SESSION_KEY_INVALID && result_untouched(&od), "open data out untouched (key)");
  od = RESULT_SENTINEL;
  memcpy(shared, sample->encrypted_data, data_len);
  CHECK(werun_open_data_in_place(KEY, key_len, IV, iv_len, shared, data_len - 4, &opts, &od) == WERUN_STATUS_CIPHERTEXT_LENGTH && result_untouched(&od), "open data in place out untouched");
  CHECK(werun_open_data(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, NULL) == WERUN_STATUS_NULL_ARGUMENT, "open data NULL out");
  CHECK(werun_open_data_in_place(KEY, key_len, IV, iv_len, shared, data_len, NULL, &od) == WERUN_STATUS_NULL_ARGUMENT, "open data NULL options");
  d = 0xA5A5A5A5u;
  CHECK(werun_diagnose(KEY, key_len, IV, iv_len, DATA, data_len, 0, scratch, sizeof scratch, NULL) == WERUN_STATUS_NULL_ARGUMENT, "diagnose NULL out");
  CHECK(werun_diagnose(KEY, key_len, IV, iv_len, DATA, data_len, 0, scratch, 3, &d) == WERUN_STATUS_BUFFER_TOO_SMALL && d == 0xA5A5A5A5u, "diagnose out untouched");
  CHECK(werun_diagnose(KEY, key_len, NULL, 0, DATA, data_len, 0, scratch, sizeof scratch, &d) == WERUN_STATUS_IV_INVALID && d == 0xA5A5A5A5u, "diagnose out untouched (iv)");

  printf("edge cases: %d failures\n", failures);
  return failures ? 1 : 0;
}
