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

static int untouched(const werun_summary *s) {
  return s->count == SENTINEL.count && s->watermark_timestamp == SENTINEL.watermark_timestamp &&
         s->has_watermark == SENTINEL.has_watermark;
}

/* werun_decrypt_steps with the sample, overriding some arguments. */
static uint32_t call(const uint8_t *key, size_t klen, const uint8_t *iv, size_t ivlen,
                     const uint8_t *data, size_t dlen, const werun_options *o, uint8_t *scr,
                     size_t slen, werun_step *st, size_t cap, werun_summary *out) {
  if (out) *out = SENTINEL;
  uint32_t status = werun_decrypt_steps(key, klen, iv, ivlen, data, dlen, o, scr, slen, st, cap, out);
  if (status != WERUN_STATUS_OK && out)
    CHECK(untouched(out), "out_summary written on failure (status %u)", status);
  return status;
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

  /* Overlapping buffers are refused. */
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
  werun_open_data_result od = {77, 77, 7};
  CHECK(werun_open_data(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, 10, &od) == WERUN_STATUS_BUFFER_TOO_SMALL && od.json_len == 77, "open data out untouched");
  CHECK(werun_open_data(KEY, key_len, IV, iv_len, DATA, data_len, &opts, scratch, sizeof scratch, NULL) == WERUN_STATUS_NULL_ARGUMENT, "open data NULL out");
  CHECK(werun_open_data_in_place(KEY, key_len, IV, iv_len, shared, data_len, NULL, &od) == WERUN_STATUS_NULL_ARGUMENT, "open data NULL options");
  d = 99;
  CHECK(werun_diagnose(KEY, key_len, IV, iv_len, DATA, data_len, 0, scratch, sizeof scratch, NULL) == WERUN_STATUS_NULL_ARGUMENT, "diagnose NULL out");
  CHECK(werun_diagnose(KEY, key_len, IV, iv_len, DATA, data_len, 0, scratch, 3, &d) == WERUN_STATUS_BUFFER_TOO_SMALL && d == 99, "diagnose out untouched");

  printf("edge cases: %d failures\n", failures);
  return failures ? 1 : 0;
}
