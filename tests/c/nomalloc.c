/* No call allocates: this program defines malloc and friends itself (the static library's
 * references resolve to them), counting the calls made while werun runs. Built without
 * sanitizers, which interpose malloc too. */

#include <stddef.h>

#include "harness.h"

static int counting = 0;
static size_t allocations = 0;

/* A bump allocator for everything else in the process (the test itself and libc). */
static unsigned char arena[1 << 22];
static size_t used = 0;

void *malloc(size_t n) {
  if (counting) allocations++;
  n = (n + 15) & ~(size_t)15;
  if (used + n > sizeof arena) return NULL;
  void *p = arena + used;
  used += n;
  return p;
}
void free(void *p) { (void)p; }
void *calloc(size_t a, size_t b) {
  void *p = malloc(a * b);
  if (p) memset(p, 0, a * b);
  return p;
}
void *realloc(void *p, size_t n) {
  if (counting) allocations++;
  void *q = malloc(n);
  if (q && p) memcpy(q, p, n); /* over-reads within the arena at worst */
  return q;
}
int posix_memalign(void **out, size_t align, size_t n) {
  if (counting) allocations++;
  used = (used + align - 1) & ~(align - 1);
  *out = malloc(n);
  return *out ? 0 : 12;
}
void *aligned_alloc(size_t align, size_t n) {
  void *p;
  return posix_memalign(&p, align, n) == 0 ? p : NULL;
}

int main(void) {
  /* The interposition works: a libc allocation through malloc is seen. */
  void *(*volatile alloc)(size_t) = malloc;
  counting = 1;
  void *probe = alloc(1);
  counting = 0;
  CHECK(allocations == 1 && probe != NULL, "the counter does not see malloc");
  allocations = 0;

  static uint8_t scratch[8192], copy[8192];
  static werun_step steps[64];
  for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++) {
    const werun_vector *v = &werun_vectors[i];
    werun_options o = vector_options(v);
    size_t kl = strlen(v->session_key), il = strlen(v->iv), dl = strlen(v->encrypted_data);
    werun_summary s;
    werun_open_data_result r;
    uint32_t d;
    memcpy(copy, v->encrypted_data, dl);
    counting = 1;
    (void)werun_decrypt_steps((const uint8_t *)v->session_key, kl, (const uint8_t *)v->iv, il,
                              (const uint8_t *)v->encrypted_data, dl, &o, scratch, sizeof scratch,
                              steps, v->capacity, &s);
    (void)werun_open_data((const uint8_t *)v->session_key, kl, (const uint8_t *)v->iv, il,
                          (const uint8_t *)v->encrypted_data, dl, &o, scratch, sizeof scratch, &r);
    (void)werun_diagnose((const uint8_t *)v->session_key, kl, (const uint8_t *)v->iv, il,
                         (const uint8_t *)v->encrypted_data, dl, 0, scratch, sizeof scratch, &d);
    (void)werun_decrypt_steps_in_place((const uint8_t *)v->session_key, kl,
                                       (const uint8_t *)v->iv, il, copy, dl, &o, steps,
                                       v->capacity, &s);
    (void)werun_status_str(v->status);
    counting = 0;
  }
  CHECK(allocations == 0, "%zu allocations during werun calls", allocations);
  printf("no malloc: %zu vectors x 4 calls, %zu allocations, %d failures\n",
         (size_t)WERUN_VECTOR_COUNT, allocations, failures);
  return failures ? 1 : 0;
}
