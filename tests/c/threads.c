/* Several threads decrypting a mix of valid and invalid payloads at once give the same results
 * as one thread. */
#include <pthread.h>

#include "harness.h"

#define THREADS 8
#define ROUNDS 20

static outcome expected[WERUN_VECTOR_COUNT];
static int mismatches[THREADS];

static int same(const outcome *a, const outcome *b) {
  return a->status == b->status && a->summary.count == b->summary.count &&
         a->summary.watermark_timestamp == b->summary.watermark_timestamp &&
         memcmp(a->steps, b->steps, sizeof a->steps) == 0 && a->open.json_len == b->open.json_len &&
         memcmp(a->json, b->json, sizeof a->json) == 0 && a->diagnosis == b->diagnosis &&
         a->diagnose_status == b->diagnose_status && a->scratch_clean == b->scratch_clean;
}

static void *worker(void *arg) {
  int id = (int)(intptr_t)arg;
  outcome *o = malloc(sizeof *o);
  for (int r = 0; r < ROUNDS; r++) {
    /* Each thread walks the vectors from its own offset, so different payloads overlap. */
    for (size_t k = 0; k < WERUN_VECTOR_COUNT; k++) {
      size_t i = (k + (size_t)id * 7 + (size_t)r) % WERUN_VECTOR_COUNT;
      run_vector(&werun_vectors[i], (int)((i + (size_t)r) % 2), o);
      outcome ref = expected[i];
      /* Scratch and in place agree except for a too-small scratch. */
      if (werun_vectors[i].status == WERUN_STATUS_BUFFER_TOO_SMALL) continue;
      if (!same(o, &ref)) mismatches[id]++;
    }
  }
  free(o);
  return NULL;
}

int main(void) {
  for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++) {
    run_vector(&werun_vectors[i], VIA_SCRATCH, &expected[i]);
    check_vector(&werun_vectors[i], VIA_SCRATCH, &expected[i]);
  }
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
  int total = 0;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(t[i], NULL);
    total += mismatches[i];
  }
  CHECK(total == 0, "%d results differ from the single-threaded ones", total);
  printf("threads: %d threads x %d rounds x %zu vectors, %d failures\n", THREADS, ROUNDS,
         (size_t)WERUN_VECTOR_COUNT, failures);
  return failures ? 1 : 0;
}
