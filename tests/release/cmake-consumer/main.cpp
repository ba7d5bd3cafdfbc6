// A C++ program on werun.hpp: decrypts the WeRun payload given on the command line and prints
// one "timestamp steps" line per day; exits with the werun status on failure.
#include <cstdio>

#include <werun.hpp>

int main(int argc, char **argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SESSION_KEY IV APPID ENCRYPTED_DATA\n", argv[0]);
    return 64;
  }
  if (!werun::abi_matches()) {
    std::fprintf(stderr, "werun: the loaded library does not match werun.h\n");
    return 70;
  }
  auto steps = werun::decrypt_steps(argv[1], argv[2], argv[4],
                                    werun::options::expect_appid(argv[3]));
  if (!steps) {
    std::fprintf(stderr, "werun: %s\n", steps.message());
    return static_cast<int>(steps.status());
  }
  for (const werun_step &day : *steps) {
    std::printf("%lld %u\n", static_cast<long long>(day.timestamp), day.step);
  }
  return 0;
}
