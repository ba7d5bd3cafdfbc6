/* Soak and stress of the C ABI (werun_decrypt_steps), run by tests/soak/run.sh.
 *
 *   soak-c MIX soak CALLS             CALLS calls over the payloads of MIX (tests/soak/mix.txt),
 *                                     round and round; every result must be the vector file's,
 *                                     and VmRSS may grow by at most 1 MiB from call CALLS/10
 *                                     (the end of the warm-up) to the last call. It is read
 *                                     every CALLS/20 calls too (rss_max_kib, reported): in the
 *                                     garbage-collected languages each reading follows a full
 *                                     collection, which keeps their heaps comparable from one
 *                                     reading to the next.
 *   soak-c MIX stress THREADS CALLS   THREADS pthreads, CALLS calls each, each thread starting
 *                                     at another payload of MIX; every result must equal the
 *                                     single-threaded result for that payload (itself checked
 *                                     against the vector file first).
 *
 * Prints one line of key=value pairs (run.sh makes the table of them); exits 1 on any wrong
 * result or too much growth. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "werun.h"
#include "werun_vectors.h"

#define MAX_MIX 64
#define MAX_THREADS 64
#define GROWTH_LIMIT_KIB 1024L

typedef struct {
  uint32_t status;
  size_t count;
  werun_step steps[WERUN_DEFAULT_CAPACITY];
  int has_watermark;
  int64_t watermark_timestamp;
} result;

static const werun_vector *mix[MAX_MIX];
static size_t mix_len;

static void load_mix(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(2);
  }
  char line[256], kind[64], id[128];
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || sscanf(line, "%63s %127s", kind, id) != 2) continue;
    const werun_vector *found = NULL;
    for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++)
      if (strcmp(werun_vectors[i].id, id) == 0) found = &werun_vectors[i];
    if (!found || found->open_data || found->scratch_len != -1 ||
        found->capacity > WERUN_DEFAULT_CAPACITY || mix_len == MAX_MIX) {
      fprintf(stderr, "%s: %s: not a steps vector of werun_vectors.h with an ample scratch\n", path,
              id);
      exit(2);
    }
    mix[mix_len++] = found;
  }
  fclose(f);
  if (mix_len == 0) {
    fprintf(stderr, "%s: no payloads\n", path);
    exit(2);
  }
}

static void decrypt(const werun_vector *v, result *r) {
  werun_options o;
  memset(&o, 0, sizeof o);
  if (v->appid) {
    o.appid = (const uint8_t *)v->appid;
    o.appid_len = strlen(v->appid);
  } else {
    o.flags |= WERUN_OPTION_SKIP_APPID_CHECK;
  }
  if (v->strict_base64) o.flags |= WERUN_OPTION_STRICT_BASE64;
  uint8_t scratch[4096]; /* werun_scratch_len of the longest mix payload is about 1300 */
  werun_summary summary;
  r->status = werun_decrypt_steps(
      (const uint8_t *)v->session_key, strlen(v->session_key), (const uint8_t *)v->iv,
      strlen(v->iv), (const uint8_t *)v->encrypted_data, strlen(v->encrypted_data), &o, scratch,
      sizeof scratch, r->steps, v->capacity, &summary);
  r->count = r->status == WERUN_STATUS_OK ? summary.count : 0;
  r->has_watermark = r->status == WERUN_STATUS_OK && summary.has_watermark;
  r->watermark_timestamp = r->has_watermark ? summary.watermark_timestamp : 0;
}

static int same(const result *a, const result *b) {
  if (a->status != b->status || a->count != b->count || a->has_watermark != b->has_watermark ||
      a->watermark_timestamp != b->watermark_timestamp)
    return 0;
  for (size_t i = 0; i < a->count; i++)
    if (a->steps[i].timestamp != b->steps[i].timestamp || a->steps[i].step != b->steps[i].step)
      return 0;
  return 1;
}

/* What the vector file says the call gives. */
static void expected(const werun_vector *v, result *r) {
  memset(r, 0, sizeof *r);
  r->status = v->status;
  if (v->status != WERUN_STATUS_OK) return;
  r->count = v->step_count;
  for (size_t i = 0; i < v->step_count; i++) {
    r->steps[i].timestamp = v->steps[i].timestamp;
    r->steps[i].step = v->steps[i].step;
  }
  r->has_watermark = v->has_watermark;
  r->watermark_timestamp = v->has_watermark ? v->watermark_timestamp : 0;
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &kib) == 1) break;
  if (f) fclose(f);
  if (kib < 0) {
    fprintf(stderr, "no VmRSS in /proc/self/status\n");
    exit(2);
  }
  return kib;
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int soak(long calls) {
  result want[MAX_MIX];
  for (size_t j = 0; j < mix_len; j++) expected(mix[j], &want[j]);
  long warmup = calls / 10, every = calls >= 20 ? calls / 20 : 1;
  long wrong = 0, rss_warm = 0, rss_max = 0;
  result got;
  double start = now_seconds();
  for (long i = 0; i < calls; i++) {
    size_t j = (size_t)i % mix_len;
    decrypt(mix[j], &got);
    if (!same(&got, &want[j]) && wrong++ < 10)
      fprintf(stderr, "call %ld (%s): status %u, %zu steps; expected status %u, %zu steps\n", i,
              mix[j]->id, got.status, got.count, want[j].status, want[j].count);
    if ((i + 1) % every == 0 || i + 1 == warmup) {
      long rss = rss_kib();
      if (i + 1 == warmup) rss_warm = rss;
      if (rss > rss_max) rss_max = rss;
    }
  }
  double seconds = now_seconds() - start;
  long rss_end = rss_kib(), growth = rss_end - rss_warm;
  printf("soak binding=c calls=%ld seconds=%.2f rss_warmup_kib=%ld rss_end_kib=%ld "
         "growth_kib=%ld rss_max_kib=%ld wrong=%ld\n",
         calls, seconds, rss_warm, rss_end, growth, rss_max, wrong);
  if (growth > GROWTH_LIMIT_KIB)
    fprintf(stderr, "soak c: RSS grew by %ld KiB after the warm-up (limit %ld KiB)\n", growth,
            GROWTH_LIMIT_KIB);
  return wrong == 0 && growth <= GROWTH_LIMIT_KIB;
}

static result single[MAX_MIX]; /* the single-threaded result of each payload */
static long per_thread_calls;
static size_t thread_count;
static pthread_barrier_t start_line;

typedef struct {
  size_t index;
  long wrong;
} worker_state;

static void *worker(void *arg) {
  worker_state *w = arg;
  size_t offset = w->index * mix_len / thread_count; /* threads on different payloads */
  result got;
  pthread_barrier_wait(&start_line);
  for (long i = 0; i < per_thread_calls; i++) {
    size_t j = ((size_t)i + offset) % mix_len;
    decrypt(mix[j], &got);
    if (!same(&got, &single[j]) && w->wrong++ < 10)
      fprintf(stderr, "thread %zu, call %ld (%s): status %u, %zu steps; single-threaded %u, %zu\n",
              w->index, i, mix[j]->id, got.status, got.count, single[j].status, single[j].count);
  }
  return NULL;
}

static int stress(size_t threads, long calls) {
  int ok = 1;
  for (size_t j = 0; j < mix_len; j++) {
    result want;
    expected(mix[j], &want);
    decrypt(mix[j], &single[j]);
    if (!same(&single[j], &want)) {
      fprintf(stderr, "%s: single-threaded status %u, expected %u\n", mix[j]->id,
              single[j].status, want.status);
      ok = 0;
    }
  }
  thread_count = threads;
  per_thread_calls = calls;
  pthread_t t[MAX_THREADS];
  worker_state state[MAX_THREADS];
  pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
  for (size_t k = 0; k < threads; k++) {
    state[k] = (worker_state){k, 0};
    if (pthread_create(&t[k], NULL, worker, &state[k]) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      exit(2);
    }
  }
  pthread_barrier_wait(&start_line);
  double start = now_seconds();
  long wrong = 0;
  for (size_t k = 0; k < threads; k++) {
    pthread_join(t[k], NULL);
    wrong += state[k].wrong;
  }
  double seconds = now_seconds() - start;
  pthread_barrier_destroy(&start_line);
  long total = calls * (long)threads;
  printf("stress binding=c threads=%zu calls=%ld seconds=%.2f calls_per_second=%.0f wrong=%ld\n",
         threads, total, seconds, (double)total / seconds, wrong);
  return ok && wrong == 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[2], "soak") == 0) {
    load_mix(argv[1]);
    return soak(atol(argv[3])) ? 0 : 1;
  }
  if (argc == 5 && strcmp(argv[2], "stress") == 0) {
    load_mix(argv[1]);
    long threads = atol(argv[3]);
    if (threads < 1 || threads > MAX_THREADS) {
      fprintf(stderr, "threads: 1 to %d\n", MAX_THREADS);
      return 2;
    }
    return stress((size_t)threads, atol(argv[4])) ? 0 : 1;
  }
  fprintf(stderr, "usage: %s MIX soak CALLS | %s MIX stress THREADS CALLS\n", argv[0], argv[0]);
  return 2;
}
