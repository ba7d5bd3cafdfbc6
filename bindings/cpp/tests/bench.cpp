// Times one decryption of the bundled 31-entry sample through werun.hpp: the median over
// batches, the same method as tests/c/bench.c (C ABI) and examples/time_sample.rs (Rust API),
// so `make bench-c` compares the three in one run. Not part of the tests.
#include <werun.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "werun_vectors.h"

int main() {
  constexpr int batch = 20000, batches = 31;
  const werun_vector &v = werun_vectors[0];
  const auto options = werun::options::expect_appid(v.appid);
  double medians[batches];
  unsigned long long checksum = 0;
  for (double &median : medians) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < batch; ++i) {
      const auto steps = werun::decrypt_steps(v.session_key, v.iv, v.encrypted_data, options);
      if (!steps) return 1;
      for (const werun_step &day : *steps) checksum += day.step;
    }
    const std::chrono::duration<double, std::nano> elapsed =
        std::chrono::steady_clock::now() - start;
    median = elapsed.count() / batch;
  }
  std::sort(medians, medians + batches);
  std::printf("c++ hpp:  median %.1f ns per decryption (min %.1f, max %.1f; %d batches of %d; "
              "checksum %llu)\n",
              medians[batches / 2], medians[0], medians[batches - 1], batches, batch, checksum);
  return 0;
}
