// Decrypts the bundled sample with the installed werun (found by CMake's find_package), prints
// its steps, and checks the status of every steps vector that fits the defaults.
#include <werun.hpp>

#include <cstdio>
#include <cstring>

#include "werun_vectors.h"

int main() {
  if (!werun::abi_matches()) {
    std::fprintf(stderr, "werun: the installed library does not match werun.h\n");
    return 1;
  }
  const werun_vector &sample = werun_vectors[0];
  auto steps = werun::decrypt_steps(sample.session_key, sample.iv, sample.encrypted_data,
                                    werun::options::expect_appid(sample.appid));
  if (!steps) {
    std::fprintf(stderr, "werun: %s\n", steps.message());
    return 1;
  }
  for (const werun_step &day : *steps) {
    std::printf("%lld %u\n", static_cast<long long>(day.timestamp), day.step);
  }

  int failures = 0, checked = 0;
  for (std::size_t i = 0; i < WERUN_VECTOR_COUNT; ++i) {
    const werun_vector &v = werun_vectors[i];
    if (v.open_data || v.capacity != WERUN_DEFAULT_CAPACITY || v.scratch_len >= 0) continue;
    werun::options o = v.appid ? werun::options::expect_appid(v.appid)
                               : werun::options::skip_appid_check();
    if (v.has_freshness) o = o.max_age(v.now, v.max_age);
    if (v.strict_base64) o = o.strict_base64();
    auto r = werun::decrypt_steps(v.session_key, v.iv, v.encrypted_data, o);
    ++checked;
    if (static_cast<std::uint32_t>(r.status()) != v.status || (r && r->size() != v.step_count)) {
      std::fprintf(stderr, "%s: status %u, want %u\n", v.id, static_cast<unsigned>(r.status()),
                   v.status);
      ++failures;
    }
  }
  std::printf("werun %s: sample %zu entries; %d vectors checked, %d failures\n", werun::version(),
              steps->size(), checked, failures);
  return failures == 0 ? 0 : 1;
}
