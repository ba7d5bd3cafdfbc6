/*
 * werun_jni.c: the JNI entry points of the Java binding (class dev.werun.Native), a thin layer
 * over the C ABI of include/werun.h. Linked with the static libwerun.a into one
 * libwerun_jni.so per platform (bindings/java/build-natives.sh); werun_jni.map exports the
 * Java_* functions only, so the werun_* symbols inside never clash with another copy of the
 * library in the same process.
 *
 * No allocation: Java's arrays are pinned with GetPrimitiveArrayCritical for the duration of
 * the call (no copy on HotSpot), the library writes the steps straight into the caller's
 * long[] (a werun_step is two jlongs wide), and scratch space is a stack buffer unless the
 * Java side passes a bigger array. Inside a critical region no other JNI function is called.
 *
 * Return values: a werun_status (>= 0), or one of the negative codes below. Lengths come from
 * Java and are checked against the arrays' lengths before anything is pinned.
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
/* Lengths or array sizes out of range: a bug in the Java side. */
#define JNI_BAD_ARGUMENTS (-3)

/* The output array: 2 jlongs per step, then these slots. */
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

/* 0 <= len <= length of array (a NULL array only with len 0). */
static int fits(JNIEnv *env, jarray array, jint len) {
  if (len < 0) return 0;
  if (array == NULL) return len == 0;
  return len <= (*env)->GetArrayLength(env, array);
}

static int out_fits(JNIEnv *env, jlongArray out, jint capacity) {
  return out != NULL && capacity >= 0 &&
         (jlong)(*env)->GetArrayLength(env, out) >= 2 * (jlong)capacity + OUT_TAIL;
}

static werun_options options_of(const uint8_t *appid, jint appid_len, jint flags, jlong now,
                                jlong max_age) {
  werun_options o;
  memset(&o, 0, sizeof o);
  o.appid = appid;
  o.appid_len = appid != NULL ? (size_t)appid_len : 0;
  o.flags = (uint32_t)flags;
  o.now = (int64_t)now;
  o.max_age = (uint64_t)max_age;
  return o;
}

/* After success: the step counts, u32 in the second jlong of each entry, widened in place. */
static void widen_steps(jlong *out, size_t count) {
  for (size_t i = 0; i < count; i++) {
    uint32_t step;
    memcpy(&step, (const unsigned char *)(out + 2 * i + 1), sizeof step);
    jlong wide = (jlong)step;
    memcpy(out + 2 * i + 1, &wide, sizeof wide);
  }
}

/* After a failure: the whole step area zeroed (the library zeroes the fields, not the padding). */
static void zero_steps(jlong *out, jint capacity) {
  memset(out, 0, 2 * sizeof(jlong) * (size_t)capacity);
}

static void write_summary(jlong *tail, const werun_summary *s) {
  tail[OUT_COUNT] = (jlong)s->count;
  tail[OUT_HAS_WATERMARK] = s->has_watermark ? 1 : 0;
  tail[OUT_WATERMARK] = (jlong)s->watermark_timestamp;
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
 * werun_decrypt_steps_in_place on data[0..data_len) (the Java side's private copy, which
 * afterwards holds no plaintext). Steps into out[0 .. 2*capacity), the summary after them.
 */
JNIEXPORT jint JNICALL Java_dev_werun_Native_decryptStepsInPlace(
    JNIEnv *env, jclass cls, jbyteArray key, jint key_len, jbyteArray iv, jint iv_len,
    jbyteArray data, jint data_len, jbyteArray appid, jint flags, jlong now, jlong max_age,
    jlongArray out, jint capacity) {
  (void)cls;
  if (!fits(env, key, key_len) || !fits(env, iv, iv_len) || !fits(env, data, data_len) ||
      !out_fits(env, out, capacity) || key == NULL || iv == NULL || data == NULL) {
    return JNI_BAD_ARGUMENTS;
  }
  jint appid_len = appid != NULL ? (*env)->GetArrayLength(env, appid) : 0;
  pins p = {.n = 0};
  void *k, *v, *d, *a, *o;
  jint status = JNI_PIN_FAILED;
  if (pin(env, &p, key, JNI_ABORT, &k) && pin(env, &p, iv, JNI_ABORT, &v) &&
      pin(env, &p, data, 0, &d) && pin(env, &p, appid, JNI_ABORT, &a) &&
      pin(env, &p, out, 0, &o)) {
    werun_options opts = options_of(a, appid_len, flags, now, max_age);
    werun_summary summary;
    jlong *steps = o;
    status = (jint)werun_decrypt_steps_in_place(
        k, (size_t)key_len, v, (size_t)iv_len, d, (size_t)data_len, &opts,
        (werun_step *)(void *)steps, (size_t)capacity, &summary);
    if (status == WERUN_STATUS_OK) {
      widen_steps(steps, summary.count);
      write_summary(steps + 2 * (size_t)capacity, &summary);
    } else {
      zero_steps(steps, capacity);
    }
  }
  unpin_all(env, &p);
  return status;
}

/*
 * werun_decrypt_steps_with_keys: `keys` holds key_count keys one after the other, of lengths
 * len0..len3. `data` is only read. The scratch is the stack's, or `scratch` when not NULL;
 * JNI_NEED_SCRATCH when the stack's is too small.
 */
JNIEXPORT jint JNICALL Java_dev_werun_Native_decryptStepsWithKeys(
    JNIEnv *env, jclass cls, jbyteArray keys, jint key_count, jint len0, jint len1, jint len2,
    jint len3, jbyteArray iv, jint iv_len, jbyteArray data, jint data_len, jbyteArray appid,
    jint flags, jlong now, jlong max_age, jbyteArray scratch, jlongArray out, jint capacity) {
  (void)cls;
  jint lens[4] = {len0, len1, len2, len3};
  jlong total = 0;
  if (key_count < 0 || key_count > 4) return JNI_BAD_ARGUMENTS;
  for (int i = 0; i < key_count; i++) {
    if (lens[i] < 0) return JNI_BAD_ARGUMENTS;
    total += lens[i];
  }
  if (keys == NULL || total > (*env)->GetArrayLength(env, keys) || !fits(env, iv, iv_len) ||
      !fits(env, data, data_len) || !out_fits(env, out, capacity) || iv == NULL ||
      data == NULL) {
    return JNI_BAD_ARGUMENTS;
  }
  size_t need = werun_scratch_len_with_keys((size_t)data_len);
  jint scratch_len = scratch != NULL ? (*env)->GetArrayLength(env, scratch) : 0;
  if (scratch == NULL && need > STACK_SCRATCH) return JNI_NEED_SCRATCH;
  jint appid_len = appid != NULL ? (*env)->GetArrayLength(env, appid) : 0;
  uint8_t stack[STACK_SCRATCH];
  pins p = {.n = 0};
  void *k, *v, *d, *a, *s, *o;
  jint status = JNI_PIN_FAILED;
  if (pin(env, &p, keys, JNI_ABORT, &k) && pin(env, &p, iv, JNI_ABORT, &v) &&
      pin(env, &p, data, JNI_ABORT, &d) && pin(env, &p, appid, JNI_ABORT, &a) &&
      pin(env, &p, scratch, 0, &s) && pin(env, &p, out, 0, &o)) {
    werun_bytes candidates[4];
    const uint8_t *next = k;
    for (int i = 0; i < key_count; i++) {
      candidates[i].ptr = next;
      candidates[i].len = (size_t)lens[i];
      next += lens[i];
    }
    werun_options opts = options_of(a, appid_len, flags, now, max_age);
    werun_summary summary;
    size_t key_index = 0;
    jlong *steps = o;
    uint8_t *scratch_ptr = s != NULL ? (uint8_t *)s : stack;
    size_t scratch_size = s != NULL ? (size_t)scratch_len : (size_t)STACK_SCRATCH;
    status = (jint)werun_decrypt_steps_with_keys(
        candidates, (size_t)key_count, v, (size_t)iv_len, d, (size_t)data_len, &opts,
        scratch_ptr, scratch_size, (werun_step *)(void *)steps, (size_t)capacity, &summary,
        &key_index);
    if (status == WERUN_STATUS_OK) {
      widen_steps(steps, summary.count);
      jlong *tail = steps + 2 * (size_t)capacity;
      write_summary(tail, &summary);
      tail[OUT_EXTRA] = (jlong)key_index;
    } else {
      zero_steps(steps, capacity);
    }
  }
  unpin_all(env, &p);
  return status;
}

/*
 * werun_open_data_in_place on data[0..data_len): on success the JSON is its first
 * out[OUT_EXTRA] bytes (the Java side copies it out and wipes the array).
 */
JNIEXPORT jint JNICALL Java_dev_werun_Native_openDataInPlace(
    JNIEnv *env, jclass cls, jbyteArray key, jint key_len, jbyteArray iv, jint iv_len,
    jbyteArray data, jint data_len, jbyteArray appid, jint flags, jlong now, jlong max_age,
    jlongArray out) {
  (void)cls;
  if (!fits(env, key, key_len) || !fits(env, iv, iv_len) || !fits(env, data, data_len) ||
      !out_fits(env, out, 0) || key == NULL || iv == NULL || data == NULL) {
    return JNI_BAD_ARGUMENTS;
  }
  jint appid_len = appid != NULL ? (*env)->GetArrayLength(env, appid) : 0;
  pins p = {.n = 0};
  void *k, *v, *d, *a, *o;
  jint status = JNI_PIN_FAILED;
  if (pin(env, &p, key, JNI_ABORT, &k) && pin(env, &p, iv, JNI_ABORT, &v) &&
      pin(env, &p, data, 0, &d) && pin(env, &p, appid, JNI_ABORT, &a) &&
      pin(env, &p, out, 0, &o)) {
    werun_options opts = options_of(a, appid_len, flags, now, max_age);
    werun_open_data_result result;
    status = (jint)werun_open_data_in_place(k, (size_t)key_len, v, (size_t)iv_len, d,
                                            (size_t)data_len, &opts, &result);
    if (status == WERUN_STATUS_OK) {
      jlong *tail = o;
      tail[OUT_COUNT] = 0;
      tail[OUT_HAS_WATERMARK] = result.has_watermark ? 1 : 0;
      tail[OUT_WATERMARK] = (jlong)result.watermark_timestamp;
      tail[OUT_EXTRA] = (jlong)result.json_len;
    }
  }
  unpin_all(env, &p);
  return status;
}

/* werun_diagnose; the diagnosis in out[OUT_EXTRA]. Scratch as in decryptStepsWithKeys. */
JNIEXPORT jint JNICALL Java_dev_werun_Native_diagnose(JNIEnv *env, jclass cls, jbyteArray key,
                                                      jint key_len, jbyteArray iv, jint iv_len,
                                                      jbyteArray data, jint data_len,
                                                      jint flags, jbyteArray scratch,
                                                      jlongArray out) {
  (void)cls;
  if (!fits(env, key, key_len) || !fits(env, iv, iv_len) || !fits(env, data, data_len) ||
      !out_fits(env, out, 0) || key == NULL || iv == NULL || data == NULL) {
    return JNI_BAD_ARGUMENTS;
  }
  size_t need = werun_scratch_len((size_t)data_len);
  jint scratch_len = scratch != NULL ? (*env)->GetArrayLength(env, scratch) : 0;
  if (scratch == NULL && need > STACK_SCRATCH) return JNI_NEED_SCRATCH;
  uint8_t stack[STACK_SCRATCH];
  pins p = {.n = 0};
  void *k, *v, *d, *s, *o;
  jint status = JNI_PIN_FAILED;
  if (pin(env, &p, key, JNI_ABORT, &k) && pin(env, &p, iv, JNI_ABORT, &v) &&
      pin(env, &p, data, JNI_ABORT, &d) && pin(env, &p, scratch, 0, &s) &&
      pin(env, &p, out, 0, &o)) {
    uint32_t diagnosis = 0;
    uint8_t *scratch_ptr = s != NULL ? (uint8_t *)s : stack;
    size_t scratch_size = s != NULL ? (size_t)scratch_len : (size_t)STACK_SCRATCH;
    status = (jint)werun_diagnose(k, (size_t)key_len, v, (size_t)iv_len, d, (size_t)data_len,
                                  (uint32_t)flags, scratch_ptr, scratch_size, &diagnosis);
    if (status == WERUN_STATUS_OK) ((jlong *)o)[OUT_EXTRA] = (jlong)diagnosis;
  }
  unpin_all(env, &p);
  return status;
}
