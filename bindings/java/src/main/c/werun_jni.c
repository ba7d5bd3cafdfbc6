/*
 * werun_jni.c: the JNI entry points of the Java binding (class dev.werun.Native), a thin layer
 * over the C ABI of include/werun.h. Linked with the static libwerun.a into one
 * libwerun_jni.so per platform (bindings/java/build-natives.sh); werun_jni.map exports the
 * Java_* functions only, so the werun_* symbols inside never clash with another copy of the
 * library in the same process.
 *
 * No allocation, and few JNI calls (each is a transition into the VM, ~15 ns): the small
 * inputs (session key, iv, appid: one array) are copied to the stack with one
 * GetByteArrayRegion; the data is pinned with GetPrimitiveArrayCritical (no copy on HotSpot);
 * the steps go to a stack array and back with one SetLongArrayRegion (a bigger capacity, rare,
 * pins the output instead: a werun_step is two jlongs wide). Scratch space is a stack buffer
 * unless the Java side passes a bigger array. Inside a critical region no other JNI function
 * is called.
 *
 * Return values: a werun_status (>= 0), or one of the negative codes below. The output array
 * is written only on success. Lengths come from Java, which checks them against the arrays
 * (Native.java) before calling: this file trusts them.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "werun.h"

/* The interface between this file and dev/werun/Native.java; Native.JNI_VERSION must match. */
#define WERUN_JNI_VERSION 1
/* Stack scratch: enough for werun_scratch_len_with_keys of 10,000 base64 characters. */
#define STACK_SCRATCH 16384
/* A critical pin failed: an OutOfMemoryError is pending and is thrown on return. */
#define JNI_PIN_FAILED (-1)
/* The stack scratch is too small: call again with a scratch array of the needed size. */
#define JNI_NEED_SCRATCH (-2)
/* Lengths or array sizes out of range (Native.java checks them; never returned from C). */
#define JNI_BAD_ARGUMENTS (-3)
/* The small inputs up to this size are copied to the stack; bigger ones are pinned. */
#define SMALL_MAX 512
/* Capacities up to this go through a stack array; bigger ones are pinned. */
#define STACK_STEPS 64

/* The output array: these slots, then 2 jlongs per step. */
#define OUT_COUNT 0
#define OUT_HAS_WATERMARK 1
#define OUT_WATERMARK 2
#define OUT_EXTRA 3 /* key index, JSON length or diagnosis */
#define OUT_TAIL 4

_Static_assert(sizeof(werun_step) == 2 * sizeof(jlong), "a werun_step must be two jlongs");
_Static_assert(offsetof(werun_step, timestamp) == 0, "werun_step.timestamp first");
_Static_assert(offsetof(werun_step, step) == sizeof(jlong), "werun_step.step in the second jlong");
_Static_assert(sizeof(jbyte) == sizeof(uint8_t), "jbyte is a byte");

#define MAX_PINS 8
typedef struct {
  jarray array[MAX_PINS];
  void *ptr[MAX_PINS];
  jint mode[MAX_PINS];
  int n;
} pins;

/* Pins `array` (NULL stays NULL); returns 0 when a pin failed. */
static int pin(JNIEnv *env, pins *p, jarray array, jint mode, void **out) {
  *out = NULL;
  if (array == NULL) return 1;
  void *ptr = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
  if (ptr == NULL) return 0;
  p->array[p->n] = array;
  p->ptr[p->n] = ptr;
  p->mode[p->n] = mode;
  p->n++;
  *out = ptr;
  return 1;
}

static void unpin_all(JNIEnv *env, pins *p) {
  while (p->n > 0) {
    p->n--;
    (*env)->ReleasePrimitiveArrayCritical(env, p->array[p->n], p->ptr[p->n], p->mode[p->n]);
  }
}

/* Zeroes a stack copy of a session key, in a way the compiler cannot drop as a dead store. */
static void wipe(uint8_t *buf, jint len) {
  if (len > SMALL_MAX) len = SMALL_MAX;
  if (len > 0) memset(buf, 0, (size_t)len);
  __asm__ __volatile__("" : : "r"(buf) : "memory");
}

/* The small inputs (key | iv | appid) at hand: copied to `stack` when they fit, else pinned. */
static const uint8_t *small_inputs(JNIEnv *env, pins *p, jbyteArray small, jint len,
                                   uint8_t stack[SMALL_MAX]) {
  if (len <= SMALL_MAX) {
    if (len > 0) (*env)->GetByteArrayRegion(env, small, 0, len, (jbyte *)stack);
    return stack;
  }
  void *ptr;
  return pin(env, p, small, JNI_ABORT, &ptr) ? ptr : NULL;
}

static werun_options options_of(const uint8_t *appid, jint appid_len, jint flags, jlong now,
                                jlong max_age) {
  werun_options o;
  memset(&o, 0, sizeof o);
  o.appid = appid_len >= 0 ? appid : NULL;
  o.appid_len = appid_len >= 0 ? (size_t)appid_len : 0;
  o.flags = (uint32_t)flags;
  o.now = (int64_t)now;
  o.max_age = (uint64_t)max_age;
  return o;
}

/* A step area: a stack array for small capacities, else the pinned output (after its tail). */
typedef struct {
  werun_step stack[STACK_STEPS];
  werun_step *steps;
  jlong *pinned_out;
} step_area;

static int steps_for(JNIEnv *env, pins *p, jlongArray out, jint capacity, step_area *a) {
  a->pinned_out = NULL;
  if (capacity <= STACK_STEPS) {
    a->steps = a->stack;
    return 1;
  }
  void *ptr;
  if (!pin(env, p, out, 0, &ptr)) return 0;
  a->pinned_out = ptr;
  a->steps = (werun_step *)(void *)(a->pinned_out + OUT_TAIL);
  return 1;
}

/*
 * After success: the summary and the steps into `out` (tail first, then timestamp and step
 * as two jlongs per entry). Called after every pin is released, except a pinned output's.
 */
static void write_out(JNIEnv *env, jlongArray out, step_area *a, const werun_summary *s,
                      jlong extra) {
  jlong tail[OUT_TAIL];
  tail[OUT_COUNT] = (jlong)s->count;
  tail[OUT_HAS_WATERMARK] = s->has_watermark ? 1 : 0;
  tail[OUT_WATERMARK] = (jlong)s->watermark_timestamp;
  tail[OUT_EXTRA] = extra;
  if (a->pinned_out != NULL) {
    /* In place: each u32 step widened in the second jlong of its entry. */
    jlong *entries = a->pinned_out + OUT_TAIL;
    for (size_t i = 0; i < s->count; i++) {
      uint32_t step;
      memcpy(&step, (const unsigned char *)(entries + 2 * i + 1), sizeof step);
      jlong wide = (jlong)step;
      memcpy(entries + 2 * i + 1, &wide, sizeof wide);
    }
    memcpy(a->pinned_out, tail, sizeof tail);
    return;
  }
  jlong buf[OUT_TAIL + 2 * STACK_STEPS];
  memcpy(buf, tail, sizeof tail);
  for (size_t i = 0; i < s->count; i++) {
    buf[OUT_TAIL + 2 * i] = (jlong)a->steps[i].timestamp;
    buf[OUT_TAIL + 2 * i + 1] = (jlong)a->steps[i].step;
  }
  (*env)->SetLongArrayRegion(env, out, 0, (jsize)(OUT_TAIL + 2 * s->count), buf);
}

JNIEXPORT jint JNICALL Java_dev_werun_Native_jniVersion(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return WERUN_JNI_VERSION;
}

JNIEXPORT jint JNICALL Java_dev_werun_Native_abiVersion(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)werun_abi_version();
}

/* The bare cost of a JNI call (the benchmark's baseline). */
JNIEXPORT jint JNICALL Java_dev_werun_Native_nop(JNIEnv *env, jclass cls, jint x) {
  (void)env;
  (void)cls;
  return x;
}

JNIEXPORT jstring JNICALL Java_dev_werun_Native_version(JNIEnv *env, jclass cls) {
  (void)cls;
  return (*env)->NewStringUTF(env, werun_version());
}

JNIEXPORT jstring JNICALL Java_dev_werun_Native_statusMessage(JNIEnv *env, jclass cls,
                                                               jint status) {
  (void)cls;
  return (*env)->NewStringUTF(env, werun_status_str((uint32_t)status));
}

JNIEXPORT jint JNICALL Java_dev_werun_Native_statusWxCode(JNIEnv *env, jclass cls, jint status) {
  (void)env;
  (void)cls;
  return (jint)werun_status_wx_code((uint32_t)status);
}

JNIEXPORT jstring JNICALL Java_dev_werun_Native_diagnosisMessage(JNIEnv *env, jclass cls,
                                                                  jint diagnosis) {
  (void)cls;
  return (*env)->NewStringUTF(env, werun_diagnosis_str((uint32_t)diagnosis));
}

JNIEXPORT jlong JNICALL Java_dev_werun_Native_scratchLen(JNIEnv *env, jclass cls, jint len,
                                                          jboolean with_keys) {
  (void)env;
  (void)cls;
  if (len < 0) return -1;
  size_t n = with_keys ? werun_scratch_len_with_keys((size_t)len) : werun_scratch_len((size_t)len);
  return n > (size_t)INT32_MAX ? -1 : (jlong)n;
}


/*
 * werun_decrypt_steps: `small` holds the key, the iv and the appid (appid_len -1: none), one
 * after the other; `data` is only read. The scratch is the stack's, or `scratch` when not
 * NULL; JNI_NEED_SCRATCH when the stack's is too small. (Not the in-place call: the library's
 * scratch path is the faster one, ~0.5 us on 31 entries when measured.)
 */
JNIEXPORT jint JNICALL Java_dev_werun_Native_decryptSteps0(
    JNIEnv *env, jclass cls, jbyteArray small, jint key_len, jint iv_len, jint appid_len,
    jbyteArray data, jint data_len, jint flags, jlong now, jlong max_age, jbyteArray scratch,
    jint scratch_len, jlongArray out, jint capacity) {
  (void)cls;
  if (scratch == NULL && werun_scratch_len((size_t)data_len) > STACK_SCRATCH) {
    return JNI_NEED_SCRATCH;
  }
  uint8_t small_stack[SMALL_MAX];
  uint8_t stack[STACK_SCRATCH];
  step_area area;
  pins p = {.n = 0};
  jint small_len = key_len + iv_len + (appid_len > 0 ? appid_len : 0);
  const uint8_t *in = small_inputs(env, &p, small, small_len, small_stack);
  void *d, *s;
  if (in == NULL || !pin(env, &p, data, JNI_ABORT, &d) || !pin(env, &p, scratch, 0, &s) ||
      !steps_for(env, &p, out, capacity, &area)) {
    unpin_all(env, &p);
    return JNI_PIN_FAILED;
  }
  werun_options opts = options_of(in + key_len + iv_len, appid_len, flags, now, max_age);
  werun_summary summary;
  jint status = (jint)werun_decrypt_steps(
      in, (size_t)key_len, in + key_len, (size_t)iv_len, d, (size_t)data_len, &opts,
      s != NULL ? (uint8_t *)s : stack, s != NULL ? (size_t)scratch_len : (size_t)STACK_SCRATCH,
      area.steps, (size_t)capacity, &summary);
  if (area.pinned_out != NULL && status == WERUN_STATUS_OK) write_out(env, out, &area, &summary, 0);
  unpin_all(env, &p);
  if (area.pinned_out == NULL && status == WERUN_STATUS_OK) write_out(env, out, &area, &summary, 0);
  wipe(small_stack, small_len); /* the session key's copy */
  return status;
}

/*
 * werun_decrypt_steps_with_keys: `small` holds key_count keys of lengths len0..len3, then the
 * iv and the appid. `data` is only read. The scratch is the stack's, or `scratch` when not
 * NULL; JNI_NEED_SCRATCH when the stack's is too small.
 */
JNIEXPORT jint JNICALL Java_dev_werun_Native_decryptStepsWithKeys0(
    JNIEnv *env, jclass cls, jbyteArray small, jint key_count, jint len0, jint len1, jint len2,
    jint len3, jint iv_len, jint appid_len, jbyteArray data, jint data_len, jint flags,
    jlong now, jlong max_age, jbyteArray scratch, jint scratch_len, jlongArray out,
    jint capacity) {
  (void)cls;
  jint lens[4] = {len0, len1, len2, len3};
  jint keys_len = 0;
  for (int i = 0; i < key_count; i++) keys_len += lens[i];
  if (scratch == NULL && werun_scratch_len_with_keys((size_t)data_len) > STACK_SCRATCH) {
    return JNI_NEED_SCRATCH;
  }
  uint8_t small_stack[SMALL_MAX];
  uint8_t stack[STACK_SCRATCH];
  step_area area;
  pins p = {.n = 0};
  jint small_len = keys_len + iv_len + (appid_len > 0 ? appid_len : 0);
  const uint8_t *in = small_inputs(env, &p, small, small_len, small_stack);
  void *d, *s;
  if (in == NULL || !pin(env, &p, data, JNI_ABORT, &d) || !pin(env, &p, scratch, 0, &s) ||
      !steps_for(env, &p, out, capacity, &area)) {
    unpin_all(env, &p);
    return JNI_PIN_FAILED;
  }
  werun_bytes candidates[4];
  const uint8_t *next = in;
  for (int i = 0; i < key_count; i++) {
    candidates[i].ptr = next;
    candidates[i].len = (size_t)lens[i];
    next += lens[i];
  }
  werun_options opts = options_of(in + keys_len + iv_len, appid_len, flags, now, max_age);
  werun_summary summary;
  size_t key_index = 0;
  jint status = (jint)werun_decrypt_steps_with_keys(
      candidates, (size_t)key_count, in + keys_len, (size_t)iv_len, d, (size_t)data_len, &opts,
      s != NULL ? (uint8_t *)s : stack, s != NULL ? (size_t)scratch_len : (size_t)STACK_SCRATCH,
      area.steps, (size_t)capacity, &summary, &key_index);
  if (area.pinned_out != NULL && status == WERUN_STATUS_OK) {
    write_out(env, out, &area, &summary, (jlong)key_index);
  }
  unpin_all(env, &p);
  if (area.pinned_out == NULL && status == WERUN_STATUS_OK) {
    write_out(env, out, &area, &summary, (jlong)key_index);
  }
  wipe(small_stack, small_len);
  return status;
}

/*
 * werun_open_data_in_place on data[0..data_len): on success the JSON is its first
 * out[OUT_EXTRA] bytes (the Java side copies it out and wipes the array).
 */
JNIEXPORT jint JNICALL Java_dev_werun_Native_openDataInPlace0(
    JNIEnv *env, jclass cls, jbyteArray small, jint key_len, jint iv_len, jint appid_len,
    jbyteArray data, jint data_len, jint flags, jlong now, jlong max_age, jlongArray out) {
  (void)cls;
  uint8_t small_stack[SMALL_MAX];
  pins p = {.n = 0};
  jint small_len = key_len + iv_len + (appid_len > 0 ? appid_len : 0);
  const uint8_t *in = small_inputs(env, &p, small, small_len, small_stack);
  void *d;
  if (in == NULL || !pin(env, &p, data, 0, &d)) {
    unpin_all(env, &p);
    return JNI_PIN_FAILED;
  }
  werun_options opts = options_of(in + key_len + iv_len, appid_len, flags, now, max_age);
  werun_open_data_result result;
  jint status = (jint)werun_open_data_in_place(in, (size_t)key_len, in + key_len, (size_t)iv_len,
                                               d, (size_t)data_len, &opts, &result);
  unpin_all(env, &p);
  wipe(small_stack, small_len);
  if (status == WERUN_STATUS_OK) {
    jlong tail[OUT_TAIL] = {0, result.has_watermark ? 1 : 0, (jlong)result.watermark_timestamp,
                            (jlong)result.json_len};
    (*env)->SetLongArrayRegion(env, out, 0, OUT_TAIL, tail);
  }
  return status;
}

/* werun_diagnose (`small`: key | iv); the diagnosis in out[OUT_EXTRA]. Scratch as above. */
JNIEXPORT jint JNICALL Java_dev_werun_Native_diagnose0(JNIEnv *env, jclass cls, jbyteArray small,
                                                       jint key_len, jint iv_len,
                                                       jbyteArray data, jint data_len,
                                                       jint flags, jbyteArray scratch,
                                                       jint scratch_len, jlongArray out) {
  (void)cls;
  if (scratch == NULL && werun_scratch_len((size_t)data_len) > STACK_SCRATCH) {
    return JNI_NEED_SCRATCH;
  }
  uint8_t small_stack[SMALL_MAX];
  uint8_t stack[STACK_SCRATCH];
  pins p = {.n = 0};
  const uint8_t *in = small_inputs(env, &p, small, key_len + iv_len, small_stack);
  void *d, *s;
  if (in == NULL || !pin(env, &p, data, JNI_ABORT, &d) || !pin(env, &p, scratch, 0, &s)) {
    unpin_all(env, &p);
    return JNI_PIN_FAILED;
  }
  uint32_t diagnosis = 0;
  jint status = (jint)werun_diagnose(
      in, (size_t)key_len, in + key_len, (size_t)iv_len, d, (size_t)data_len, (uint32_t)flags,
      s != NULL ? (uint8_t *)s : stack, s != NULL ? (size_t)scratch_len : (size_t)STACK_SCRATCH,
      &diagnosis);
  unpin_all(env, &p);
  wipe(small_stack, key_len);
  if (status == WERUN_STATUS_OK) {
    jlong tail[OUT_TAIL] = {0, 0, 0, (jlong)diagnosis};
    (*env)->SetLongArrayRegion(env, out, 0, OUT_TAIL, tail);
  }
  return status;
}
