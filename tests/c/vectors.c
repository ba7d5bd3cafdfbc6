/* Every vector of tests/vectors/werun_vectors.h through every C entry point. */
#include "harness.h"

int main(void) {
  size_t checked = 0;
  for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++) {
    for (int via = VIA_SCRATCH; via <= VIA_IN_PLACE; via++) {
      outcome o;
      run_vector(&werun_vectors[i], via, &o);
      check_vector(&werun_vectors[i], via, &o);
      checked++;
    }
  }
  /* Every status has a message, and unknown values too. */
  for (uint32_t s = 0; s <= 12; s++) {
    const char *m = werun_status_str(s);
    CHECK(m && strlen(m) > 5 && strcmp(m, werun_status_str(999)) != 0, "status %u message", s);
  }
  CHECK(strcmp(werun_status_str(13), "unknown werun status") == 0, "unknown status message");
  CHECK(strcmp(werun_status_str(UINT32_MAX), "unknown werun status") == 0, "UINT32_MAX message");
  for (uint32_t d = 0; d <= WERUN_DIAGNOSIS_TRUNCATED; d++)
    CHECK(strcmp(werun_diagnosis_str(d), werun_diagnosis_str(WERUN_DIAGNOSIS_TRUNCATED + 1)) != 0,
          "diagnosis %u message", d);
  CHECK(strcmp(werun_diagnosis_str(WERUN_DIAGNOSIS_TRUNCATED + 1), "unknown werun diagnosis") == 0,
        "unknown diagnosis");
  CHECK(werun_abi_version() == WERUN_ABI_VERSION, "ABI version");
  CHECK(strlen(werun_version()) >= 5, "version string");
  printf("vectors: %zu runs over %zu vectors, %d failures\n", checked, (size_t)WERUN_VECTOR_COUNT,
         failures);
  return failures ? 1 : 0;
}
