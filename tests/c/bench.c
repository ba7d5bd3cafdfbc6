/* Times one decryption of the bundled 31-entry sample through the C ABI: the median over
 * batches, the same method as examples/time_sample.rs for the Rust API (`make bench-c` runs
 * both). Not part of the tests. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "werun.h"
#include "werun_vectors.h"

#ifndef BATCH
#define BATCH 20000
#endif
#ifndef BATCHES
#define BATCHES 31
#endif

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(void) {
  const werun_vector *v = &werun_vectors[0];
  size_t kl = strlen(v->session_key), il = strlen(v->iv), dl = strlen(v->encrypted_data);
  werun_options o = {(const uint8_t *)v->appid, strlen(v->appid), 0, 0, 0};
  static uint8_t scratch[4096];
  werun_step steps[WERUN_DEFAULT_CAPACITY];
  werun_summary s;
  double medians[BATCHES];
  unsigned long long checksum = 0;
  for (int b = 0; b < BATCHES; b++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < BATCH; i++) {
      if (werun_decrypt_steps((const uint8_t *)v->session_key, kl, (const uint8_t *)v->iv, il,
                              (const uint8_t *)v->encrypted_data, dl, &o, scratch, sizeof scratch,
                              steps, WERUN_DEFAULT_CAPACITY, &s) != WERUN_STATUS_OK)
        return 1;
      for (size_t j = 0; j < s.count; j++) checksum += steps[j].step;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    medians[b] = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / BATCH;
  }
  qsort(medians, BATCHES, sizeof medians[0], cmp);
  printf("c abi:    median %.1f ns per decryption (min %.1f, max %.1f; %d batches of %d; checksum %llu)\n",
         medians[BATCHES / 2], medians[0], medians[BATCHES - 1], BATCHES, BATCH, checksum);
  return 0;
}
