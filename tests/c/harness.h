/* Shared by the C tests: run one vector of werun_vectors.h through the C ABI and check it. */
#ifndef WERUN_TEST_HARNESS_H
#define WERUN_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "werun.h"
#include "werun_vectors.h"

#define MAX_STEPS 64

enum { VIA_SCRATCH = 0, VIA_IN_PLACE = 1 };

typedef struct {
  uint32_t status;
  werun_summary summary;
  werun_step steps[MAX_STEPS];
  werun_open_data_result open;
  char json[4096];
  uint32_t diagnose_status;
  uint32_t diagnosis;
  int scratch_clean; /* after the decrypting call: only zeros, pattern and the returned JSON */
} outcome;

/* Every output starts filled with this byte, so that a test can tell an output that a call
 * zeroed, or left untouched, from one that was zero already. */
#define PATTERN 0xA5

static inline int all_bytes(const void *p, size_t n, uint8_t value) {
  const uint8_t *b = (const uint8_t *)p;
  for (size_t i = 0; i < n; i++)
    if (b[i] != value) return 0;
  return 1;
}

/* A step entry as the pre-fill left it (fields only: padding is not the library's business). */
static inline int step_is_pattern(const werun_step *s) {
  werun_step p;
  memset(&p, PATTERN, sizeof p);
  return s->timestamp == p.timestamp && s->step == p.step;
}

static inline int step_is_zero(const werun_step *s) { return s->timestamp == 0 && s->step == 0; }

static int failures = 0;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);      \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
      failures++;                                          \
    }                                                      \
  } while (0)

static inline werun_options vector_options(const werun_vector *v) {
  werun_options o;
  memset(&o, 0, sizeof o);
  if (v->appid) {
    o.appid = (const uint8_t *)v->appid;
    o.appid_len = strlen(v->appid);
  } else {
    o.flags |= WERUN_OPTION_SKIP_APPID_CHECK;
  }
  if (v->strict_base64) o.flags |= WERUN_OPTION_STRICT_BASE64;
  if (v->has_freshness) {
    o.flags |= WERUN_OPTION_CHECK_FRESHNESS;
    o.now = v->now;
    o.max_age = v->max_age;
  }
  return o;
}

/* Runs `v` through the C ABI (with a scratch buffer or in place) and werun_diagnose. */
static inline void run_vector(const werun_vector *v, int via, outcome *o) {
  const uint8_t *key = (const uint8_t *)v->session_key;
  const uint8_t *iv = (const uint8_t *)v->iv;
  size_t key_len = strlen(v->session_key), iv_len = strlen(v->iv);
  size_t data_len = strlen(v->encrypted_data);
  size_t scratch_len = v->scratch_len < 0 ? werun_scratch_len(data_len) : (size_t)v->scratch_len;
  /* +1 so that malloc(0) is never asked for; the length passed stays exact. */
  uint8_t *scratch = malloc(scratch_len + 1);
  uint8_t *copy = malloc(data_len + 1);
  werun_options opts = vector_options(v);
  memset(o, 0, sizeof *o);
  memset(o->steps, PATTERN, sizeof o->steps);
  memset(&o->summary, PATTERN, sizeof o->summary);
  memset(&o->open, PATTERN, sizeof o->open);
  memset(&o->diagnosis, PATTERN, sizeof o->diagnosis);
  memset(scratch, PATTERN, scratch_len + 1);
  memcpy(copy, v->encrypted_data, data_len);
  if (v->open_data) {
    uint8_t *json_at = via == VIA_SCRATCH ? scratch : copy;
    o->status = via == VIA_SCRATCH
                    ? werun_open_data(key, key_len, iv, iv_len, (const uint8_t *)v->encrypted_data,
                                      data_len, &opts, scratch, scratch_len, &o->open)
                    : werun_open_data_in_place(key, key_len, iv, iv_len, copy, data_len, &opts,
                                               &o->open);
    if (o->status == WERUN_STATUS_OK && o->open.json_len < sizeof o->json)
      memcpy(o->json, json_at, o->open.json_len);
  } else {
    o->status = via == VIA_SCRATCH
                    ? werun_decrypt_steps(key, key_len, iv, iv_len,
                                          (const uint8_t *)v->encrypted_data, data_len, &opts,
                                          scratch, scratch_len, o->steps, v->capacity, &o->summary)
                    : werun_decrypt_steps_in_place(key, key_len, iv, iv_len, copy, data_len,
                                                   &opts, o->steps, v->capacity, &o->summary);
  }
  /* The scratch buffer holds nothing but zeros and the pre-fill afterwards (and the JSON that
   * a successful werun_open_data returns at its start, until werun_diagnose below reuses the
   * buffer), and nothing was written past it. */
  size_t keep = v->open_data && via == VIA_SCRATCH && o->status == WERUN_STATUS_OK
                    ? o->open.json_len
                    : 0;
  o->scratch_clean = scratch[scratch_len] == PATTERN;
  for (size_t i = keep; i < scratch_len; i++)
    o->scratch_clean &= scratch[i] == 0 || scratch[i] == PATTERN;
  o->diagnose_status =
      werun_diagnose(key, key_len, iv, iv_len, (const uint8_t *)v->encrypted_data, data_len,
                     v->strict_base64 ? WERUN_OPTION_STRICT_BASE64 : 0, scratch, scratch_len,
                     &o->diagnosis);
  for (size_t i = 0; i <= scratch_len; i++)
    o->scratch_clean &= scratch[i] == 0 || scratch[i] == PATTERN;
  free(scratch);
  free(copy);
}

/* The status `v` must give through `via` (in place there is no scratch to be too small). */
static inline uint32_t expected_status(const werun_vector *v, int via) {
  if (via == VIA_IN_PLACE && v->status == WERUN_STATUS_BUFFER_TOO_SMALL) return WERUN_STATUS_OK;
  return v->status;
}

static inline void check_vector(const werun_vector *v, int via, const outcome *o) {
  uint32_t want = expected_status(v, via);
  CHECK(o->status == want, "%s via %d: status %u (%s), want %u", v->id, via, o->status,
        werun_status_str(o->status), want);
  if (o->status != want) return;
  CHECK(o->scratch_clean, "%s via %d: data left in (or past) the scratch buffer", v->id, via);
  /* Never written: the entries past the capacity, and the outputs of the other kind of call. */
  size_t passed = v->open_data ? 0 : v->capacity;
  for (size_t i = passed; i < MAX_STEPS; i++)
    CHECK(step_is_pattern(&o->steps[i]), "%s: step %zu past the capacity written", v->id, i);
  if (v->open_data)
    CHECK(all_bytes(&o->summary, sizeof o->summary, PATTERN), "%s: summary written", v->id);
  else
    CHECK(all_bytes(&o->open, sizeof o->open, PATTERN), "%s: open result written", v->id);
  if (want == WERUN_STATUS_OK && !v->open_data) {
    if (v->status == WERUN_STATUS_OK) {
      CHECK(o->summary.count == v->step_count, "%s: count %zu, want %zu", v->id, o->summary.count,
            v->step_count);
      for (size_t i = 0; i < v->step_count && i < o->summary.count; i++)
        CHECK(o->steps[i].timestamp == v->steps[i].timestamp && o->steps[i].step == v->steps[i].step,
              "%s: step %zu differs", v->id, i);
      CHECK(o->summary.has_watermark == v->has_watermark, "%s: has_watermark", v->id);
      CHECK(o->summary.watermark_timestamp == v->watermark_timestamp, "%s: watermark", v->id);
    }
  } else if (want == WERUN_STATUS_OK) {
    CHECK(v->json && o->open.json_len == strlen(v->json) &&
              memcmp(o->json, v->json, o->open.json_len) == 0,
          "%s: json differs", v->id);
    CHECK(o->open.has_watermark == v->has_watermark &&
              o->open.watermark_timestamp == v->watermark_timestamp,
          "%s: watermark", v->id);
  } else {
    /* No partial result: every entry passed zeroed (statuses 2..=10, which are all the
     * vectors' failures, those before decryption included), out params untouched (still the
     * pre-fill, byte for byte). */
    CHECK(o->status >= 2 && o->status <= 10, "%s: status %u", v->id, o->status);
    for (size_t i = 0; i < passed; i++)
      CHECK(step_is_zero(&o->steps[i]), "%s via %d: step %zu not zeroed", v->id, via, i);
    CHECK(all_bytes(&o->summary, sizeof o->summary, PATTERN) &&
              all_bytes(&o->open, sizeof o->open, PATTERN),
          "%s via %d: out written on failure", v->id, via);
  }
  if (v->diagnosis < 0) {
    CHECK(o->diagnose_status != WERUN_STATUS_OK, "%s: diagnose should fail", v->id);
    CHECK(all_bytes(&o->diagnosis, sizeof o->diagnosis, PATTERN), "%s: diagnosis written",
          v->id);
  } else {
    CHECK(o->diagnose_status == WERUN_STATUS_OK && o->diagnosis == (uint32_t)v->diagnosis,
          "%s: diagnosis %u (status %u), want %d", v->id, o->diagnosis, o->diagnose_status,
          v->diagnosis);
  }
}

#endif
