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
} outcome;

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
  o->diagnose_status =
      werun_diagnose(key, key_len, iv, iv_len, (const uint8_t *)v->encrypted_data, data_len,
                     v->strict_base64 ? WERUN_OPTION_STRICT_BASE64 : 0, scratch, scratch_len,
                     &o->diagnosis);
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
    /* No partial result: steps zeroed, out params untouched (zero here). */
    for (size_t i = 0; i < MAX_STEPS; i++)
      CHECK(o->steps[i].timestamp == 0 && o->steps[i].step == 0, "%s: step %zu left", v->id, i);
    CHECK(o->summary.count == 0 && o->open.json_len == 0, "%s: out written on failure", v->id);
  }
  if (v->diagnosis < 0) {
    CHECK(o->diagnose_status != WERUN_STATUS_OK, "%s: diagnose should fail", v->id);
  } else {
    CHECK(o->diagnose_status == WERUN_STATUS_OK && o->diagnosis == (uint32_t)v->diagnosis,
          "%s: diagnosis %u (status %u), want %d", v->id, o->diagnosis, o->diagnose_status,
          v->diagnosis);
  }
}

#endif
