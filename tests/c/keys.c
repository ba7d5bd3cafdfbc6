/* werun_decrypt_steps_with_keys over every entry of werun_keys_vectors[] (tests/vectors/
 * werun_vectors.h; each on the bundled sample, werun_vectors[0]), its argument rules, and
 * werun_status_wx_code for every status. Built and run under ASan+UBSan and valgrind by
 * tests/c/run.sh. */
#include "harness.h"

static const werun_vector *sample_vector(void) {
  const werun_vector *s = &werun_vectors[0];
  CHECK(strcmp(s->id, "sample-31-entries") == 0, "werun_vectors[0] is %s, not the sample", s->id);
  return s;
}

/* Exactly `n` bytes on the heap (ASan and valgrind see any access past them), filled with
 * PATTERN. */
static uint8_t *patterned(size_t n) {
  uint8_t *p = malloc(n + 1);
  if (!p) abort();
  memset(p, PATTERN, n + 1);
  return p;
}

typedef struct {
  uint32_t status;
  werun_step steps[MAX_STEPS];
  werun_summary summary;
  size_t key_index;
  int scratch_clean; /* only zeros and the pre-fill afterwards, nothing written past it */
} keys_outcome;

/* One call with the candidate texts `keys[0..count)`, on the sample's iv and data, every
 * output pre-filled with PATTERN; the werun_bytes array and each key on the heap. */
static void call_keys(const char *const *keys, size_t count, const char *appid, size_t capacity,
                      size_t scratch_len, keys_outcome *o) {
  const werun_vector *s = sample_vector();
  size_t data_len = strlen(s->encrypted_data), iv_len = strlen(s->iv);
  werun_bytes *array = malloc(sizeof(werun_bytes) * (count ? count : 1));
  uint8_t *texts[WERUN_MAX_CANDIDATE_KEYS + 2] = {0};
  for (size_t i = 0; i < count; i++) {
    size_t n = strlen(keys[i]);
    texts[i] = malloc(n + 1);
    memcpy(texts[i], keys[i], n);
    array[i].ptr = texts[i];
    array[i].len = n;
  }
  werun_options opts;
  memset(&opts, 0, sizeof opts);
  opts.appid = (const uint8_t *)appid;
  opts.appid_len = strlen(appid);
  uint8_t *scratch = patterned(scratch_len);
  memset(o, 0, sizeof *o);
  memset(o->steps, PATTERN, sizeof o->steps);
  memset(&o->summary, PATTERN, sizeof o->summary);
  memset(&o->key_index, PATTERN, sizeof o->key_index);
  o->status = werun_decrypt_steps_with_keys(array, count, (const uint8_t *)s->iv, iv_len,
                                            (const uint8_t *)s->encrypted_data, data_len, &opts,
                                            scratch, scratch_len, o->steps, capacity, &o->summary,
                                            &o->key_index);
  o->scratch_clean = scratch[scratch_len] == PATTERN;
  for (size_t i = 0; i < scratch_len; i++)
    o->scratch_clean &= scratch[i] == 0 || scratch[i] == PATTERN;
  free(scratch);
  for (size_t i = 0; i < count; i++) free(texts[i]);
  free(array);
}

/* The outputs of a failed call: every entry passed zeroed (statuses 2..=10; `zeroed` 0 for
 * an argument error, for which the header promises nothing about them), the ones past the
 * capacity, the summary and the key index untouched. */
static void check_failure_outputs(const char *what, const keys_outcome *o, size_t capacity,
                                  int zeroed) {
  for (size_t i = 0; zeroed && i < capacity; i++)
    CHECK(step_is_zero(&o->steps[i]), "%s: step %zu not zeroed", what, i);
  for (size_t i = capacity; i < MAX_STEPS; i++)
    CHECK(step_is_pattern(&o->steps[i]), "%s: step %zu past the capacity written", what, i);
  CHECK(all_bytes(&o->summary, sizeof o->summary, PATTERN), "%s: summary written on failure", what);
  CHECK(all_bytes(&o->key_index, sizeof o->key_index, PATTERN),
        "%s: key index written on failure (%zu)", what, o->key_index);
}

static void test_keys_vectors(void) {
  const werun_vector *s = sample_vector();
  size_t ample = werun_scratch_len_with_keys(strlen(s->encrypted_data));
  int seen_first = 0, seen_second = 0, seen_last = 0, seen_none = 0, seen_invalid = 0;
  for (size_t i = 0; i < WERUN_KEYS_VECTOR_COUNT; i++) {
    const werun_keys_vector *v = &werun_keys_vectors[i];
    keys_outcome o;
    call_keys(v->session_keys, v->key_count, v->appid, WERUN_DEFAULT_CAPACITY, ample, &o);
    CHECK(o.status == v->status, "%s: status %u (%s), want %u", v->id, o.status,
          werun_status_str(o.status), v->status);
    CHECK(o.scratch_clean, "%s: data left in (or past) the scratch buffer", v->id);
    if (o.status != v->status) continue;
    seen_first |= v->key_index == 0 && v->key_count > 1;
    seen_second |= v->key_index == 1;
    seen_last |= v->key_count == WERUN_MAX_CANDIDATE_KEYS && v->key_index == (long)v->key_count - 1;
    seen_none |= v->status == WERUN_STATUS_DECRYPT_FAILED;
    seen_invalid |= v->status == WERUN_STATUS_SESSION_KEY_INVALID;
    if (v->status == WERUN_STATUS_OK) {
      CHECK(v->key_index >= 0 && o.key_index == (size_t)v->key_index, "%s: key index %zu, want %ld",
            v->id, o.key_index, v->key_index);
      CHECK(o.summary.count == s->step_count, "%s: count %zu, want %zu", v->id, o.summary.count,
            s->step_count);
      for (size_t j = 0; j < s->step_count && j < o.summary.count; j++)
        CHECK(o.steps[j].timestamp == s->steps[j].timestamp && o.steps[j].step == s->steps[j].step,
              "%s: step %zu differs", v->id, j);
      for (size_t j = WERUN_DEFAULT_CAPACITY; j < MAX_STEPS; j++)
        CHECK(step_is_pattern(&o.steps[j]), "%s: step %zu past the capacity written", v->id, j);
      CHECK(o.summary.has_watermark == 1 && o.summary.watermark_timestamp == s->watermark_timestamp,
            "%s: watermark", v->id);
      /* The key that worked, alone through werun_decrypt_steps: the same entries. (Entries
       * past the count are not defined: a candidate that failed before may have zeroed them.) */
      const char *key = v->session_keys[o.key_index];
      werun_options opts;
      memset(&opts, 0, sizeof opts);
      opts.appid = (const uint8_t *)v->appid;
      opts.appid_len = strlen(v->appid);
      uint8_t *scratch = patterned(ample);
      werun_step one[WERUN_DEFAULT_CAPACITY];
      werun_summary one_summary;
      uint32_t st = werun_decrypt_steps((const uint8_t *)key, strlen(key), (const uint8_t *)s->iv,
                                        strlen(s->iv), (const uint8_t *)s->encrypted_data,
                                        strlen(s->encrypted_data), &opts, scratch, ample, one,
                                        WERUN_DEFAULT_CAPACITY, &one_summary);
      free(scratch);
      CHECK(st == WERUN_STATUS_OK && one_summary.count == o.summary.count &&
                one_summary.watermark_timestamp == o.summary.watermark_timestamp,
            "%s: the key that worked, alone: status %u", v->id, st);
      for (size_t j = 0; st == WERUN_STATUS_OK && j < o.summary.count; j++)
        CHECK(one[j].timestamp == o.steps[j].timestamp && one[j].step == o.steps[j].step,
              "%s: the key that worked, alone: step %zu differs", v->id, j);
    } else {
      CHECK(v->key_index == -1, "%s: a failure with a key index", v->id);
      check_failure_outputs(v->id, &o, WERUN_DEFAULT_CAPACITY, 1);
    }
  }
  CHECK(seen_first && seen_second && seen_last && seen_none && seen_invalid,
        "the keys vectors do not cover first, second, last, none and an invalid candidate");
}

static void test_argument_rules(void) {
  const werun_vector *s = sample_vector();
  const char *stale = "i0vns4pveFuOIEpP3pxrbQ==";
  const char *five[5] = {stale, stale, stale, stale, s->session_key};
  const char *right_second[2] = {stale, s->session_key};
  size_t ample = werun_scratch_len_with_keys(strlen(s->encrypted_data));
  keys_outcome o;

  /* No candidate, or more than WERUN_MAX_CANDIDATE_KEYS: INVALID_ARGUMENT, an argument error:
   * no summary, no key index. */
  call_keys(five, 0, s->appid, WERUN_DEFAULT_CAPACITY, ample, &o);
  CHECK(o.status == WERUN_STATUS_INVALID_ARGUMENT, "no key: %u", o.status);
  check_failure_outputs("no key", &o, WERUN_DEFAULT_CAPACITY, 0);
  call_keys(five, 5, s->appid, WERUN_DEFAULT_CAPACITY, ample, &o);
  CHECK(o.status == WERUN_STATUS_INVALID_ARGUMENT, "five keys: %u", o.status);
  check_failure_outputs("five keys", &o, WERUN_DEFAULT_CAPACITY, 0);
  call_keys(five + 1, 4, s->appid, WERUN_DEFAULT_CAPACITY, ample, &o);
  CHECK(o.status == WERUN_STATUS_OK && o.key_index == 3, "four keys, right last: %u, %zu",
        o.status, o.key_index);

  /* The single key's scratch is one candidate short; the documented size is enough. */
  size_t data_len = strlen(s->encrypted_data);
  CHECK(ample == 2 * werun_scratch_len(data_len), "werun_scratch_len_with_keys %zu", ample);
  call_keys(right_second, 2, s->appid, WERUN_DEFAULT_CAPACITY, werun_scratch_len(data_len), &o);
  CHECK(o.status == WERUN_STATUS_BUFFER_TOO_SMALL, "single-size scratch: %u", o.status);
  check_failure_outputs("single-size scratch", &o, WERUN_DEFAULT_CAPACITY, 1);

  /* Capacity one entry short: the key that worked decides, the steps are zeroed. */
  call_keys(right_second, 2, s->appid, 30, ample, &o);
  CHECK(o.status == WERUN_STATUS_CAPACITY_EXCEEDED, "capacity 30: %u", o.status);
  check_failure_outputs("capacity 30", &o, 30, 1);

  /* An empty candidate is an invalid key (NULL with length 0 is an empty text). */
  const werun_bytes empty_second[2] = {{(const uint8_t *)s->session_key, strlen(s->session_key)},
                                       {NULL, 0}};
  werun_options opts;
  memset(&opts, 0, sizeof opts);
  opts.appid = (const uint8_t *)s->appid;
  opts.appid_len = strlen(s->appid);
  uint8_t *scratch = patterned(ample);
  werun_step steps[WERUN_DEFAULT_CAPACITY];
  werun_summary summary;
  size_t index = 77;
  uint32_t st = werun_decrypt_steps_with_keys(empty_second, 2, (const uint8_t *)s->iv,
                                              strlen(s->iv), (const uint8_t *)s->encrypted_data,
                                              data_len, &opts, scratch, ample, steps,
                                              WERUN_DEFAULT_CAPACITY, &summary, &index);
  CHECK(st == WERUN_STATUS_SESSION_KEY_INVALID && index == 77, "empty candidate: %u", st);
  /* NULL arguments: the array, a key pointer with a length, out_key_index. */
  st = werun_decrypt_steps_with_keys(NULL, 1, (const uint8_t *)s->iv, strlen(s->iv),
                                     (const uint8_t *)s->encrypted_data, data_len, &opts, scratch,
                                     ample, steps, WERUN_DEFAULT_CAPACITY, &summary, &index);
  CHECK(st == WERUN_STATUS_NULL_ARGUMENT && index == 77, "NULL keys: %u", st);
  const werun_bytes null_ptr[1] = {{NULL, 24}};
  st = werun_decrypt_steps_with_keys(null_ptr, 1, (const uint8_t *)s->iv, strlen(s->iv),
                                     (const uint8_t *)s->encrypted_data, data_len, &opts, scratch,
                                     ample, steps, WERUN_DEFAULT_CAPACITY, &summary, &index);
  CHECK(st == WERUN_STATUS_NULL_ARGUMENT && index == 77, "NULL key with a length: %u", st);
  st = werun_decrypt_steps_with_keys(empty_second, 1, (const uint8_t *)s->iv, strlen(s->iv),
                                     (const uint8_t *)s->encrypted_data, data_len, &opts, scratch,
                                     ample, steps, WERUN_DEFAULT_CAPACITY, &summary, NULL);
  CHECK(st == WERUN_STATUS_NULL_ARGUMENT, "NULL out_key_index: %u", st);
  /* out_key_index inside the scratch: overlapping buffers are refused. */
  st = werun_decrypt_steps_with_keys(empty_second, 1, (const uint8_t *)s->iv, strlen(s->iv),
                                     (const uint8_t *)s->encrypted_data, data_len, &opts, scratch,
                                     ample, steps, WERUN_DEFAULT_CAPACITY, &summary,
                                     (size_t *)(void *)(scratch + 16));
  CHECK(st == WERUN_STATUS_INVALID_ARGUMENT, "out_key_index inside the scratch: %u", st);
  st = werun_decrypt_steps_with_keys(empty_second, 1, (const uint8_t *)s->iv, strlen(s->iv),
                                     (const uint8_t *)s->encrypted_data, data_len, &opts, scratch,
                                     ample, steps, WERUN_DEFAULT_CAPACITY, &summary, &index);
  CHECK(st == WERUN_STATUS_OK && index == 0 && summary.count == 31, "one key: %u", st);
  free(scratch);
}

/* werun_status_wx_code: WXBizDataCrypt's code for each status, as include/werun.h documents. */
static void test_wx_codes(void) {
  static const struct {
    uint32_t status;
    int32_t code;
  } table[] = {
      {WERUN_STATUS_OK, 0},
      {WERUN_STATUS_NULL_ARGUMENT, -41003},
      {WERUN_STATUS_SESSION_KEY_INVALID, -41001},
      {WERUN_STATUS_IV_INVALID, -41002},
      {WERUN_STATUS_ENCRYPTED_DATA_INVALID, -41004},
      {WERUN_STATUS_CIPHERTEXT_LENGTH, -41003},
      {WERUN_STATUS_BUFFER_TOO_SMALL, -41003},
      {WERUN_STATUS_DECRYPT_FAILED, -41003},
      {WERUN_STATUS_APPID_MISMATCH, -41003},
      {WERUN_STATUS_WATERMARK_EXPIRED, -41003},
      {WERUN_STATUS_CAPACITY_EXCEEDED, -41003},
      {WERUN_STATUS_INTERNAL, -41003},
      {WERUN_STATUS_INVALID_ARGUMENT, -41003},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    CHECK(table[i].status == i, "table row %zu is status %u", i, table[i].status);
    CHECK(werun_status_wx_code(table[i].status) == table[i].code, "wx code of %u: %d, want %d",
          table[i].status, werun_status_wx_code(table[i].status), table[i].code);
  }
  CHECK(sizeof table / sizeof table[0] == WERUN_STATUS_INVALID_ARGUMENT + 1, "a status is missing");
  const uint32_t unknown[] = {13, 1000, 0x80000000u, UINT32_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    CHECK(werun_status_wx_code(unknown[i]) == -41003, "wx code of unknown %u: %d", unknown[i],
          werun_status_wx_code(unknown[i]));
  /* Each vector's status maps like its row. */
  for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++) {
    int32_t code = werun_status_wx_code(werun_vectors[i].status);
    CHECK(code == 0 || (code <= -41001 && code >= -41004), "%s: wx code %d", werun_vectors[i].id,
          code);
  }
}

int main(void) {
  test_keys_vectors();
  test_argument_rules();
  test_wx_codes();
  printf("keys: %zu candidate-key vectors, %d failures\n", (size_t)WERUN_KEYS_VECTOR_COUNT,
         failures);
  return failures ? 1 : 0;
}
