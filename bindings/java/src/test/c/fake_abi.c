/* A stand-in for libwerun_jni.so that reports another ABI version: the loader must refuse it
 * (bindings/java/src/test/java/dev/werun/LoaderTest.java). */
#include <jni.h>

JNIEXPORT jint JNICALL Java_dev_werun_Native_jniVersion(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return 1;
}

JNIEXPORT jint JNICALL Java_dev_werun_Native_abiVersion(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return 999;
}
