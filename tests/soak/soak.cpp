// Soak and stress of the C++ wrapper (werun.hpp, werun::decrypt_steps with its stack scratch),
// run by tests/soak/run.sh. The same modes, payloads and output as soak.c:
//
//   soak-cpp MIX soak CALLS
//   soak-cpp MIX stress THREADS CALLS     (std::thread)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <werun.hpp>

#include "werun_vectors.h"

namespace {

// The most VmRSS may grow from the end of the warm-up (call CALLS/10) to the last call.
constexpr long growth_limit_kib = 1024;

struct outcome {
  werun::status status = werun::status::ok;
  std::vector<werun_step> steps;
  bool has_watermark = false;
  std::int64_t watermark_timestamp = 0;
};

bool operator==(const outcome &a, const outcome &b) {
  if (a.status != b.status || a.steps.size() != b.steps.size() ||
      a.has_watermark != b.has_watermark || a.watermark_timestamp != b.watermark_timestamp)
    return false;
  for (std::size_t i = 0; i < a.steps.size(); i++)
    if (a.steps[i].timestamp != b.steps[i].timestamp || a.steps[i].step != b.steps[i].step)
      return false;
  return true;
}

std::vector<const werun_vector *> mix;

void load_mix(const char *path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read\n", path);
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind, id;
    if (line.empty() || line[0] == '#' || !(fields >> kind >> id)) continue;
    const werun_vector *found = nullptr;
    for (const werun_vector &v : werun_vectors)
      if (id == v.id) found = &v;
    if (!found || found->open_data || found->scratch_len != -1 ||
        (found->capacity != 30 && found->capacity != WERUN_DEFAULT_CAPACITY)) {
      std::fprintf(stderr, "%s: %s: not a steps vector with an ample scratch and a capacity of "
                   "30 or 32\n", path, id.c_str());
      std::exit(2);
    }
    mix.push_back(found);
  }
  if (mix.empty()) {
    std::fprintf(stderr, "%s: no payloads\n", path);
    std::exit(2);
  }
}

// Copies what a caller would keep out of the result (a vector, only on success: the wrapper's
// own array lives on the stack).
template <std::size_t Capacity>
void take(const werun::result<werun::basic_steps<Capacity>> &r, outcome &out) {
  out.status = r.status();
  out.steps.clear();
  out.has_watermark = false;
  out.watermark_timestamp = 0;
  if (!r) return;
  out.steps.assign(r->begin(), r->end());
  out.has_watermark = r->has_watermark();
  out.watermark_timestamp = r->watermark_timestamp();
}

void decrypt(const werun_vector &v, outcome &out) {
  werun::options opts = v.appid ? werun::options::expect_appid(v.appid)
                                : werun::options::skip_appid_check();
  if (v.strict_base64) opts = opts.strict_base64();
  if (v.capacity == 30)
    take(werun::decrypt_steps<30>(v.session_key, v.iv, v.encrypted_data, opts), out);
  else
    take(werun::decrypt_steps(v.session_key, v.iv, v.encrypted_data, opts), out);
}

outcome expected(const werun_vector &v) {
  outcome out;
  out.status = static_cast<werun::status>(v.status);
  if (v.status != WERUN_STATUS_OK) return out;
  for (std::size_t i = 0; i < v.step_count; i++) {
    werun_step s{};
    s.timestamp = v.steps[i].timestamp;
    s.step = v.steps[i].step;
    out.steps.push_back(s);
  }
  out.has_watermark = v.has_watermark != 0;
  out.watermark_timestamp = v.has_watermark ? v.watermark_timestamp : 0;
  return out;
}

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  std::fprintf(stderr, "no VmRSS in /proc/self/status\n");
  std::exit(2);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool soak(long calls) {
  std::vector<outcome> want;
  for (const werun_vector *v : mix) want.push_back(expected(*v));
  long warmup = calls / 10, every = calls >= 20 ? calls / 20 : 1;
  long wrong = 0, rss_warm = 0, rss_max = 0;
  outcome got;
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < calls; i++) {
    std::size_t j = static_cast<std::size_t>(i) % mix.size();
    decrypt(*mix[j], got);
    if (!(got == want[j]) && wrong++ < 10)
      std::fprintf(stderr, "call %ld (%s): status %u, %zu steps; expected status %u, %zu steps\n",
                   i, mix[j]->id, static_cast<unsigned>(got.status), got.steps.size(),
                   static_cast<unsigned>(want[j].status), want[j].steps.size());
    if ((i + 1) % every == 0 || i + 1 == warmup) {
      long rss = rss_kib();
      if (i + 1 == warmup) rss_warm = rss;
      rss_max = std::max(rss_max, rss);
    }
  }
  double seconds = seconds_since(start);
  long rss_end = rss_kib(), growth = rss_end - rss_warm;
  std::printf("soak binding=cpp calls=%ld seconds=%.2f rss_warmup_kib=%ld rss_end_kib=%ld "
              "growth_kib=%ld rss_max_kib=%ld wrong=%ld\n",
              calls, seconds, rss_warm, rss_end, growth, rss_max, wrong);
  if (growth > growth_limit_kib)
    std::fprintf(stderr, "soak cpp: RSS grew by %ld KiB after the warm-up (limit %ld KiB)\n",
                 growth, growth_limit_kib);
  return wrong == 0 && growth <= growth_limit_kib;
}

bool stress(std::size_t threads, long calls) {
  bool ok = true;
  std::vector<outcome> single(mix.size());
  for (std::size_t j = 0; j < mix.size(); j++) {
    decrypt(*mix[j], single[j]);
    if (!(single[j] == expected(*mix[j]))) {
      std::fprintf(stderr, "%s: the single-threaded result is not the vector file's\n", mix[j]->id);
      ok = false;
    }
  }
  std::atomic<std::size_t> ready{0};
  std::atomic<bool> go{false};
  std::vector<long> wrong(threads, 0);
  std::vector<std::thread> workers;
  for (std::size_t k = 0; k < threads; k++) {
    workers.emplace_back([&, k] {
      std::size_t offset = k * mix.size() / threads;  // threads on different payloads
      outcome got;
      ready++;
      while (!go) std::this_thread::yield();
      for (long i = 0; i < calls; i++) {
        std::size_t j = (static_cast<std::size_t>(i) + offset) % mix.size();
        decrypt(*mix[j], got);
        if (!(got == single[j]) && wrong[k]++ < 10)
          std::fprintf(stderr, "thread %zu, call %ld (%s): not the single-threaded result\n", k, i,
                       mix[j]->id);
      }
    });
  }
  while (ready < threads) std::this_thread::yield();
  auto start = std::chrono::steady_clock::now();
  go = true;
  for (std::thread &t : workers) t.join();
  double seconds = seconds_since(start);
  long total_wrong = 0;
  for (long w : wrong) total_wrong += w;
  long total = calls * static_cast<long>(threads);
  std::printf("stress binding=cpp threads=%zu calls=%ld seconds=%.2f calls_per_second=%.0f "
              "wrong=%ld\n",
              threads, total, seconds, static_cast<double>(total) / seconds, total_wrong);
  return ok && total_wrong == 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc == 4 && std::strcmp(argv[2], "soak") == 0) {
    load_mix(argv[1]);
    return soak(std::atol(argv[3])) ? 0 : 1;
  }
  if (argc == 5 && std::strcmp(argv[2], "stress") == 0) {
    load_mix(argv[1]);
    long threads = std::atol(argv[3]);
    if (threads < 1 || threads > 64) {
      std::fprintf(stderr, "threads: 1 to 64\n");
      return 2;
    }
    return stress(static_cast<std::size_t>(threads), std::atol(argv[4])) ? 0 : 1;
  }
  std::fprintf(stderr, "usage: %s MIX soak CALLS | %s MIX stress THREADS CALLS\n", argv[0],
               argv[0]);
  return 2;
}
