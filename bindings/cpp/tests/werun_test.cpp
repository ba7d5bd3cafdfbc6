// Tests of werun.hpp over the shared vectors (tests/vectors/werun_vectors.h), built with
// -std=c++17 -Wall -Wextra -Werror -pedantic and ASan/UBSan by run-tests.sh. Linked with
// second_tu.cpp, which includes werun.hpp too (and is built with -fno-exceptions).

#include "werun.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include "werun_vectors.h"

// Defined in second_tu.cpp.
std::size_t second_tu_sample_entries(const char *session_key, const char *iv,
                                     const char *encrypted_data, const char *appid);
const char *second_tu_message(werun::status s);
std::size_t second_tu_key_index(const char *stale_key, const char *session_key, const char *iv,
                                const char *encrypted_data, const char *appid);

namespace {

int failures = 0;
int checks = 0;

#define CHECK(cond, ...)                                        \
  do {                                                          \
    ++checks;                                                   \
    if (!(cond)) {                                              \
      std::fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);      \
      std::fprintf(stderr, __VA_ARGS__);                        \
      std::fputc('\n', stderr);                                 \
      ++failures;                                               \
    }                                                           \
  } while (0)

werun::options vector_options(const werun_vector &v) {
  werun::options o = v.appid != nullptr ? werun::options::expect_appid(v.appid)
                                        : werun::options::skip_appid_check();
  if (v.has_freshness) o = o.max_age(v.now, v.max_age);
  if (v.strict_base64) o = o.strict_base64();
  return o;
}

// A heap scratch buffer of exactly the vector's size (or werun::scratch_len), so that ASan
// sees any access beyond it.
std::vector<std::uint8_t> vector_scratch(const werun_vector &v) {
  const std::size_t n = v.scratch_len >= 0 ? static_cast<std::size_t>(v.scratch_len)
                                           : werun::scratch_len(std::strlen(v.encrypted_data));
  return std::vector<std::uint8_t>(n, 0xAA);
}

template <std::size_t Capacity>
void check_steps_result(const werun_vector &v, const werun::result<werun::basic_steps<Capacity>> &r,
                        const char *how) {
  CHECK(static_cast<std::uint32_t>(r.status()) == v.status, "%s (%s): status %u (%s), want %u",
        v.id, how, static_cast<unsigned>(r.status()), r.message(), v.status);
  if (!r || static_cast<std::uint32_t>(r.status()) != v.status) return;
  CHECK(r->size() == v.step_count, "%s (%s): %zu steps, want %zu", v.id, how, r->size(),
        v.step_count);
  CHECK(r->capacity() == Capacity, "%s: capacity", v.id);
  std::size_t i = 0;
  for (const werun_step &s : *r) {
    if (i < v.step_count) {
      CHECK(s.timestamp == v.steps[i].timestamp && s.step == v.steps[i].step,
            "%s (%s): entry %zu differs", v.id, how, i);
    }
    ++i;
  }
  CHECK(i == r->size(), "%s: iteration covers %zu entries", v.id, i);
  CHECK(r->has_watermark() == (v.has_watermark != 0), "%s (%s): has_watermark", v.id, how);
  CHECK(r->watermark_timestamp() == v.watermark_timestamp, "%s (%s): watermark_timestamp", v.id,
        how);
}

template <std::size_t Capacity>
void check_steps_vector(const werun_vector &v) {
  const werun::options opts = vector_options(v);
  std::vector<std::uint8_t> scratch = vector_scratch(v);
  auto r = werun::decrypt_steps<Capacity>(v.session_key, v.iv, v.encrypted_data, opts,
                                          scratch.data(), scratch.size());
  check_steps_result(v, r, "explicit scratch");
  // Every byte is wiped (0) or was never written (still 0xAA): no plaintext is left behind.
  bool wiped = true;
  for (std::uint8_t b : scratch) wiped = wiped && (b == 0 || b == 0xAA);
  CHECK(wiped, "%s: scratch not wiped", v.id);
  if (v.scratch_len < 0) {
    check_steps_result(v, werun::decrypt_steps<Capacity>(v.session_key, v.iv, v.encrypted_data, opts),
                       "stack scratch");
  }
}

void check_open_data_vector(const werun_vector &v) {
  const werun::options opts = vector_options(v);
  std::vector<std::uint8_t> scratch = vector_scratch(v);
  auto view = werun::open_data(v.session_key, v.iv, v.encrypted_data, opts, scratch.data(),
                               scratch.size());
  CHECK(static_cast<std::uint32_t>(view.status()) == v.status, "%s: open_data status %u, want %u",
        v.id, static_cast<unsigned>(view.status()), v.status);
  if (view) {
    CHECK(v.json != nullptr && view->json == v.json, "%s: json differs", v.id);
    CHECK(view->has_watermark == (v.has_watermark != 0), "%s: has_watermark", v.id);
    CHECK(view->watermark_timestamp == v.watermark_timestamp, "%s: watermark_timestamp", v.id);
  }
  if (v.scratch_len < 0) {
    auto owned = werun::open_data(v.session_key, v.iv, v.encrypted_data, opts);
    CHECK(static_cast<std::uint32_t>(owned.status()) == v.status, "%s: owned status", v.id);
    // (A success the vector does not expect has no JSON to compare: the status check failed.)
    if (owned && v.json != nullptr) {
      CHECK(owned->json() == v.json, "%s: owned json differs", v.id);
      CHECK(owned->has_watermark() == (v.has_watermark != 0), "%s: owned has_watermark", v.id);
      CHECK(owned->watermark_timestamp() == v.watermark_timestamp, "%s: owned timestamp", v.id);
      // Moving transfers the plaintext and leaves none behind.
      werun::basic_open_data<werun::default_scratch_size> moved = std::move(*owned);
      CHECK(moved.json() == v.json, "%s: moved json", v.id);
      CHECK(owned->json().empty(), "%s: moved-from json not empty", v.id);
    }
  }
}

void check_diagnosis(const werun_vector &v) {
  const werun::options opts = vector_options(v);
  std::vector<std::uint8_t> scratch = vector_scratch(v);
  auto d = werun::diagnose(v.session_key, v.iv, v.encrypted_data, opts, scratch.data(),
                           scratch.size());
  if (v.diagnosis < 0) {
    CHECK(!d && static_cast<std::uint32_t>(d.status()) == v.status,
          "%s: diagnose status %u, want %u", v.id, static_cast<unsigned>(d.status()), v.status);
  } else {
    CHECK(d && static_cast<int>(*d) == v.diagnosis, "%s: diagnose %d (%s), want %d", v.id,
          d ? static_cast<int>(*d) : -1, d.message(), v.diagnosis);
    if (v.scratch_len < 0) {
      auto stack = werun::diagnose(v.session_key, v.iv, v.encrypted_data, opts);
      CHECK(stack && *stack == *d, "%s: diagnose with the stack scratch differs", v.id);
    }
  }
}

void test_vectors(std::set<std::uint32_t> &seen_statuses) {
  for (std::size_t i = 0; i < WERUN_VECTOR_COUNT; ++i) {
    const werun_vector &v = werun_vectors[i];
    seen_statuses.insert(v.status);
    if (v.open_data) {
      check_open_data_vector(v);
    } else {
      switch (v.capacity) {
        case 0: check_steps_vector<0>(v); break;
        case 30: check_steps_vector<30>(v); break;
        case 31: check_steps_vector<31>(v); break;
        case WERUN_DEFAULT_CAPACITY: check_steps_vector<WERUN_DEFAULT_CAPACITY>(v); break;
        default: CHECK(false, "%s: capacity %zu has no instantiation here", v.id, v.capacity);
      }
    }
    check_diagnosis(v);
  }
}

// Every status: the enum carries the C values, each has the library's own message, and the
// vectors reach every status the C++ API can produce.
void test_every_status(const std::set<std::uint32_t> &seen) {
  static_assert(static_cast<std::uint32_t>(werun::status::ok) == WERUN_STATUS_OK);
  static_assert(static_cast<std::uint32_t>(werun::status::decrypt_failed) == 7);
  static_assert(static_cast<std::uint32_t>(werun::status::invalid_argument) == 12);
  static_assert(static_cast<std::uint32_t>(werun::diagnosis::garbled) == WERUN_DIAGNOSIS_GARBLED);
  static_assert(static_cast<std::uint32_t>(werun::diagnosis::truncated) == WERUN_DIAGNOSIS_TRUNCATED);
  std::set<std::string> messages;
  for (std::uint32_t code = WERUN_STATUS_OK; code <= WERUN_STATUS_INVALID_ARGUMENT; ++code) {
    const auto s = static_cast<werun::status>(code);
    const char *m = werun::message(s);
    CHECK(m != nullptr && std::strcmp(m, werun_status_str(code)) == 0, "status %u message", code);
    CHECK(std::strcmp(m, "unknown werun status") != 0, "status %u has no message", code);
    messages.insert(m);
    const werun::result<int> failed(s);
    CHECK(failed.status() == s && std::strcmp(failed.message(), m) == 0, "result<int>(%u)", code);
    CHECK(static_cast<bool>(failed) == (code == WERUN_STATUS_OK), "result<int>(%u) truthiness", code);
    // Reachable through this API: all but NULL_ARGUMENT (string_view is never NULL with a
    // length), INTERNAL (a caught panic) and INVALID_ARGUMENT (options cannot hold an appid
    // together with a skip).
    const bool reachable = code != WERUN_STATUS_NULL_ARGUMENT && code != WERUN_STATUS_INTERNAL &&
                           code != WERUN_STATUS_INVALID_ARGUMENT;
    CHECK(!reachable || seen.count(code) == 1, "status %u is not covered by any vector", code);
  }
  CHECK(messages.size() == WERUN_STATUS_INVALID_ARGUMENT + 1, "status messages are not distinct");
  CHECK(std::strcmp(werun::message(static_cast<werun::status>(1000)), "unknown werun status") == 0,
        "unknown status message");
  for (std::uint32_t d = WERUN_DIAGNOSIS_WERUN_DATA; d <= WERUN_DIAGNOSIS_TRUNCATED; ++d) {
    CHECK(std::strcmp(werun::message(static_cast<werun::diagnosis>(d)), werun_diagnosis_str(d)) == 0,
          "diagnosis %u message", d);
  }
}

const werun_vector &sample() { return werun_vectors[0]; }

void test_sample_and_second_translation_unit() {
  const werun_vector &s = sample();
  CHECK(std::strcmp(s.id, "sample-31-entries") == 0, "vector 0 is %s", s.id);
  auto r = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data,
                                werun::options::expect_appid(s.appid));
  CHECK(r && r->size() == 31 && (*r)[30].step == s.steps[30].step, "sample: %s", r.message());
  CHECK(second_tu_sample_entries(s.session_key, s.iv, s.encrypted_data, s.appid) == 31,
        "second translation unit");
  CHECK(std::strcmp(second_tu_message(werun::status::appid_mismatch),
                    werun::message(werun::status::appid_mismatch)) == 0,
        "second translation unit message");
}

// An empty appid is compared (and never matches); skipping is only ever explicit.
void test_empty_appid_is_not_a_skip() {
  const werun_vector &s = sample();
  auto r = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data,
                                werun::options::expect_appid(std::string_view()));
  CHECK(r.status() == werun::status::appid_mismatch, "empty appid: %s", r.message());
  auto skipped = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data,
                                      werun::options::skip_appid_check());
  CHECK(skipped && skipped->size() == 31 && skipped->has_watermark(), "skip: %s",
        skipped.message());
}

// The appid need not be NUL-terminated: a view into a longer string compares its own bytes.
void test_appid_view_is_not_nul_terminated() {
  const werun_vector &s = sample();
  const std::string longer = std::string(s.appid) + "TRAILING";
  auto r = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data,
                                werun::options::expect_appid(std::string_view(longer).substr(0, std::strlen(s.appid))));
  CHECK(r && r->size() == 31, "appid view: %s", r.message());
}

void test_freshness_and_strict_options_chain() {
  const werun_vector &s = sample();
  const auto base = werun::options::expect_appid(s.appid);
  auto fresh = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data,
                                    base.max_age(s.watermark_timestamp + 10, 60).strict_base64());
  CHECK(fresh && fresh->size() == 31, "fresh: %s", fresh.message());
  auto stale = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data,
                                    base.max_age(s.watermark_timestamp + 61, 60));
  CHECK(stale.status() == werun::status::watermark_expired, "stale: %s", stale.message());
  // The builder returns copies: `base` itself still has no freshness check.
  auto again = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data, base);
  CHECK(again && again->size() == 31, "base options changed");
  CHECK(base.c_options().flags == 0, "base flags %u", base.c_options().flags);
}

// Data that decodes to more than the stack scratch needs a caller scratch buffer.
void test_large_input_needs_caller_scratch() {
  const werun_vector &s = sample();
  const std::string large(8000, 'A');  // 6000 zero bytes
  auto r = werun::decrypt_steps(s.session_key, s.iv, large, werun::options::expect_appid(s.appid));
  CHECK(r.status() == werun::status::buffer_too_small, "large input on the stack: %s", r.message());
  std::vector<std::uint8_t> scratch(werun::scratch_len(large.size()));
  auto d = werun::decrypt_steps(s.session_key, s.iv, large, werun::options::expect_appid(s.appid),
                                scratch.data(), scratch.size());
  CHECK(d.status() == werun::status::decrypt_failed, "large input with a caller scratch: %s",
        d.message());
  // Line breaks are not decoded data: a wrapped sample still fits the stack scratch.
  std::string wrapped;
  for (const char *p = s.encrypted_data; *p != '\0'; ++p) {
    wrapped += *p;
    wrapped += "\r\n\t";
  }
  auto ok = werun::decrypt_steps(s.session_key, s.iv, wrapped, werun::options::expect_appid(s.appid));
  CHECK(ok && ok->size() == 31, "wrapped sample: %s", ok.message());
}

// --- candidate keys: werun_keys_vectors (on the bundled sample, werun_vectors[0]) -------------

template <std::size_t Capacity>
void check_keys_result(const werun_keys_vector &v, const werun::result<werun::basic_steps<Capacity>> &r,
                       const char *how) {
  const werun_vector &s = sample();
  CHECK(static_cast<std::uint32_t>(r.status()) == v.status, "%s (%s): status %u (%s), want %u",
        v.id, how, static_cast<unsigned>(r.status()), r.message(), v.status);
  CHECK(r.wx_code() == werun_status_wx_code(v.status), "%s (%s): wx_code %d", v.id, how,
        static_cast<int>(r.wx_code()));
  if (!r || static_cast<std::uint32_t>(r.status()) != v.status) return;
  CHECK(v.key_index >= 0 && r->key_index() == static_cast<std::size_t>(v.key_index),
        "%s (%s): key index %zu, want %ld", v.id, how, r->key_index(), v.key_index);
  CHECK(r->size() == s.step_count, "%s (%s): %zu steps, want %zu", v.id, how, r->size(),
        s.step_count);
  for (std::size_t i = 0; i < r->size() && i < s.step_count; ++i) {
    CHECK((*r)[i].timestamp == s.steps[i].timestamp && (*r)[i].step == s.steps[i].step,
          "%s (%s): entry %zu differs", v.id, how, i);
  }
  CHECK(r->has_watermark() && r->watermark_timestamp() == s.watermark_timestamp,
        "%s (%s): watermark", v.id, how);
}

void test_keys_vectors() {
  const werun_vector &s = sample();
  CHECK(std::strcmp(s.id, "sample-31-entries") == 0, "the keys vectors' sample is %s", s.id);
  std::set<long> indices;
  std::set<std::uint32_t> statuses;
  for (std::size_t i = 0; i < WERUN_KEYS_VECTOR_COUNT; ++i) {
    const werun_keys_vector &v = werun_keys_vectors[i];
    indices.insert(v.key_index);
    statuses.insert(v.status);
    const auto opts = werun::options::expect_appid(v.appid);
    std::vector<std::string_view> views(v.session_keys, v.session_keys + v.key_count);
    // A heap scratch of exactly scratch_len_with_keys (ASan sees any overrun), pre-filled.
    std::vector<std::uint8_t> scratch(werun::scratch_len_with_keys(std::strlen(s.encrypted_data)), 0xAA);
    check_keys_result(v, werun::decrypt_steps_with_keys(views.data(), views.size(), s.iv,
                                                        s.encrypted_data, opts, scratch.data(),
                                                        scratch.size()),
                      "pointer, explicit scratch");
    bool wiped = true;
    for (std::uint8_t b : scratch) wiped = wiped && (b == 0 || b == 0xAA);
    CHECK(wiped, "%s: scratch not wiped", v.id);
    check_keys_result(v, werun::decrypt_steps_with_keys(views.data(), views.size(), s.iv,
                                                        s.encrypted_data, opts),
                      "pointer, stack scratch");
    const std::vector<std::string> owned(v.session_keys, v.session_keys + v.key_count);
    check_keys_result(v, werun::decrypt_steps_with_keys(owned, s.iv, s.encrypted_data, opts),
                      "std::vector<std::string>");
    check_keys_result(v, werun::decrypt_steps_with_keys<31>(views, s.iv, s.encrypted_data, opts),
                      "capacity 31");
  }
  CHECK(indices.count(0) && indices.count(1) && indices.count(werun::max_candidate_keys - 1) &&
            indices.count(-1),
        "the keys vectors do not cover first, second, last and no key");
  CHECK(statuses.count(WERUN_STATUS_DECRYPT_FAILED) && statuses.count(WERUN_STATUS_SESSION_KEY_INVALID),
        "the keys vectors do not cover a failed and an invalid candidate");
}

void test_keys_calls() {
  const werun_vector &s = sample();
  const auto opts = werun::options::expect_appid(s.appid);
  const std::string_view stale = "i0vns4pveFuOIEpP3pxrbQ==";
  // Written in the call (std::initializer_list), the right key second.
  auto r = werun::decrypt_steps_with_keys({stale, s.session_key}, s.iv, s.encrypted_data, opts);
  CHECK(r && r->key_index() == 1 && r->size() == 31, "initializer_list: %s", r.message());
  // The right key last of four, in a std::array and a C array.
  const std::array<std::string_view, 4> four{stale, stale, stale, s.session_key};
  auto a = werun::decrypt_steps_with_keys(four, s.iv, s.encrypted_data, opts);
  CHECK(a && a->key_index() == 3, "std::array of 4: %s", a.message());
  const char *const c_array[] = {s.session_key, "i0vns4pveFuOIEpP3pxrbQ=="};
  auto c = werun::decrypt_steps_with_keys(c_array, s.iv, s.encrypted_data, opts);
  CHECK(c && c->key_index() == 0, "C array: %s", c.message());
  // decrypt_steps has key index 0.
  auto one = werun::decrypt_steps(s.session_key, s.iv, s.encrypted_data, opts);
  CHECK(one && one->key_index() == 0, "decrypt_steps key index");
  CHECK(second_tu_key_index(stale.data(), s.session_key, s.iv, s.encrypted_data, s.appid) == 1,
        "second translation unit: key index");
  // No key, or more than max_candidate_keys: invalid_argument, before the library is called.
  auto none = werun::decrypt_steps_with_keys({}, s.iv, s.encrypted_data, opts);
  CHECK(none.status() == werun::status::invalid_argument, "no key: %s", none.message());
  const std::vector<std::string_view> five(5, s.session_key);
  auto too_many = werun::decrypt_steps_with_keys(five, s.iv, s.encrypted_data, opts);
  CHECK(too_many.status() == werun::status::invalid_argument, "five keys: %s", too_many.message());
  auto too_many_ptr = werun::decrypt_steps_with_keys(five.data(), five.size(), s.iv, s.encrypted_data, opts);
  CHECK(too_many_ptr.status() == werun::status::invalid_argument, "five keys (pointer)");
  // An empty candidate (a default string_view: NULL, 0) is an invalid key.
  auto empty = werun::decrypt_steps_with_keys({s.session_key, std::string_view()}, s.iv,
                                              s.encrypted_data, opts);
  CHECK(empty.status() == werun::status::session_key_invalid, "empty candidate: %s", empty.message());
  // The single key's scratch size is not enough for candidates.
  const std::size_t n = std::strlen(s.encrypted_data);
  CHECK(werun::scratch_len_with_keys(n) == 2 * werun::scratch_len(n), "scratch_len_with_keys");
  std::vector<std::uint8_t> small(werun::scratch_len(n));
  auto short_scratch = werun::decrypt_steps_with_keys({stale, s.session_key}, s.iv, s.encrypted_data,
                                                      opts, small.data(), small.size());
  CHECK(short_scratch.status() == werun::status::buffer_too_small, "single-size scratch: %s",
        short_scratch.message());
  // Options apply to the key that worked.
  auto expired = werun::decrypt_steps_with_keys({stale, s.session_key}, s.iv, s.encrypted_data,
                                                opts.max_age(s.watermark_timestamp + 61, 60));
  CHECK(expired.status() == werun::status::watermark_expired, "expired: %s", expired.message());
  auto capacity = werun::decrypt_steps_with_keys<30>({stale, s.session_key}, s.iv, s.encrypted_data, opts);
  CHECK(capacity.status() == werun::status::capacity_exceeded, "capacity 30: %s", capacity.message());
}

// werun_status_wx_code for every status (the header's documentation), through the wrapper.
void test_wx_codes() {
  static_assert(werun::wx::ok == 0 && werun::wx::illegal_aes_key == -41001 &&
                werun::wx::illegal_iv == -41002 && werun::wx::illegal_buffer == -41003 &&
                werun::wx::decode_base64_error == -41004);
  for (std::uint32_t code = WERUN_STATUS_OK; code <= WERUN_STATUS_INVALID_ARGUMENT; ++code) {
    const auto s = static_cast<werun::status>(code);
    std::int32_t want = werun::wx::illegal_buffer;
    if (s == werun::status::ok) want = werun::wx::ok;
    if (s == werun::status::session_key_invalid) want = werun::wx::illegal_aes_key;
    if (s == werun::status::iv_invalid) want = werun::wx::illegal_iv;
    if (s == werun::status::encrypted_data_invalid) want = werun::wx::decode_base64_error;
    CHECK(werun::wx_code(s) == want, "wx_code(%u) = %d, want %d", code,
          static_cast<int>(werun::wx_code(s)), static_cast<int>(want));
    CHECK(werun::result<int>(s).wx_code() == want, "result<int>(%u).wx_code()", code);
  }
  CHECK(werun::result<int>(1).wx_code() == werun::wx::ok, "a success's wx_code");
  CHECK(werun::wx_code(static_cast<werun::status>(1000)) == werun::wx::illegal_buffer,
        "unknown status");
  const werun_vector &s = sample();
  auto bad_key = werun::decrypt_steps("AAAA", s.iv, s.encrypted_data, werun::options::expect_appid(s.appid));
  CHECK(bad_key.wx_code() == werun::wx::illegal_aes_key, "a bad key's wx_code");
  auto bad_iv = werun::decrypt_steps(s.session_key, "AAAA", s.encrypted_data, werun::options::expect_appid(s.appid));
  CHECK(bad_iv.wx_code() == werun::wx::illegal_iv, "a bad iv's wx_code");
}

// value() on a failed result aborts (checked in a child process).
void test_value_of_a_failure_aborts() {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    auto r = werun::decrypt_steps("", "", "", werun::options::skip_appid_check());
    std::printf("%zu\n", r.value().size());  // must not return
    _exit(0);
  }
  int wstatus = 0;
  CHECK(pid > 0 && waitpid(pid, &wstatus, 0) == pid, "fork/waitpid");
  CHECK(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGABRT, "value() on a failure did not abort");
}

void test_version() {
  CHECK(werun::abi_matches(), "ABI version %u, header %d", werun_abi_version(), WERUN_ABI_VERSION);
  CHECK(werun::version() != nullptr && std::strlen(werun::version()) >= 5, "version");
}

}  // namespace

// --- the tables against include/werun.h (WERUN_TEST_HEADER, set by run-tests.sh) --------------
// Every status, diagnosis and option flag of the header is one werun.hpp knows, with the same
// value, and no other: a value added to the header fails here until the binding knows it (the
// enums take the header's macros, so only a missing name, or a header that differs from the one
// compiled in, can show).

// The NAME -> value pairs of the header's lines `PREFIX NAME SEP value` (leading spaces
// skipped): `#define WERUN_OPTION_` with " ", `WERUN_STATUS_` with " = " (the enum's lines).
std::map<std::string, std::uint32_t> header_values(const std::string &text, const std::string &prefix,
                                                   const std::string &sep) {
  std::map<std::string, std::uint32_t> found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string::npos || line.compare(start, prefix.size(), prefix) != 0) continue;
    const auto name_end = line.find(sep, start + prefix.size());
    if (name_end == std::string::npos) continue;
    const std::string value = line.substr(name_end + sep.size());
    const auto digits = value.find_first_not_of("0123456789");
    if (digits == 0 || (digits != std::string::npos && value.substr(digits) != ",")) continue;
    found[line.substr(start + prefix.size(), name_end - start - prefix.size())] =
        static_cast<std::uint32_t>(std::stoul(value));
  }
  return found;
}

template <typename T>
void check_table(const std::map<std::string, std::uint32_t> &header,
                 const std::map<std::string, T> &known, const char *what) {
  CHECK(!header.empty(), "no %s in the header", what);
  for (const auto &[name, value] : header) {
    const auto it = known.find(name);
    CHECK(it != known.end(), "%s %s (%u) in the header is unknown to werun.hpp's tests", what,
          name.c_str(), value);
    if (it != known.end()) {
      CHECK(static_cast<std::uint32_t>(it->second) == value, "%s %s: C++ %u, header %u", what,
            name.c_str(), static_cast<std::uint32_t>(it->second), value);
    }
  }
  CHECK(known.size() == header.size(), "%zu %s in werun.hpp's tests, %zu in the header",
        known.size(), what, header.size());
}

void test_tables_equal_the_header() {
  const char *path = std::getenv("WERUN_TEST_HEADER");
  CHECK(path != nullptr, "WERUN_TEST_HEADER (the header to compare with) is not set");
  if (path == nullptr) return;
  std::ifstream in(path);
  CHECK(in.good(), "cannot read %s", path);
  std::stringstream text;
  text << in.rdbuf();
  using werun::status;
  const std::map<std::string, status> statuses = {
      {"OK", status::ok},
      {"NULL_ARGUMENT", status::null_argument},
      {"SESSION_KEY_INVALID", status::session_key_invalid},
      {"IV_INVALID", status::iv_invalid},
      {"ENCRYPTED_DATA_INVALID", status::encrypted_data_invalid},
      {"CIPHERTEXT_LENGTH", status::ciphertext_length},
      {"BUFFER_TOO_SMALL", status::buffer_too_small},
      {"DECRYPT_FAILED", status::decrypt_failed},
      {"APPID_MISMATCH", status::appid_mismatch},
      {"WATERMARK_EXPIRED", status::watermark_expired},
      {"CAPACITY_EXCEEDED", status::capacity_exceeded},
      {"INTERNAL", status::internal},
      {"INVALID_ARGUMENT", status::invalid_argument},
  };
  using werun::diagnosis;
  const std::map<std::string, diagnosis> diagnoses = {
      {"WERUN_DATA", diagnosis::werun_data},
      {"NOT_WERUN_DATA", diagnosis::not_werun_data},
      {"SESSION_KEY_MISMATCH", diagnosis::session_key_mismatch},
      {"IV_MISMATCH", diagnosis::iv_mismatch},
      {"GARBLED", diagnosis::garbled},
      {"TRUNCATED", diagnosis::truncated},
  };
  // The flags werun::options sets (skip_appid_check, check_freshness, strict_base64).
  const std::map<std::string, std::uint32_t> flags = {
      {"SKIP_APPID_CHECK", WERUN_OPTION_SKIP_APPID_CHECK},
      {"STRICT_BASE64", WERUN_OPTION_STRICT_BASE64},
      {"CHECK_FRESHNESS", WERUN_OPTION_CHECK_FRESHNESS},
  };
  const auto header_statuses = header_values(text.str(), "WERUN_STATUS_", " = ");
  check_table(header_statuses, statuses, "status");
  check_table(header_values(text.str(), "#define WERUN_DIAGNOSIS_", " "), diagnoses,
              "diagnosis");
  check_table(header_values(text.str(), "#define WERUN_OPTION_", " "), flags,
              "option flag");
  // werun::wx holds every code the library gives for the header's statuses.
  const std::set<std::int32_t> wx = {werun::wx::ok, werun::wx::illegal_aes_key, werun::wx::illegal_iv,
                                     werun::wx::illegal_buffer, werun::wx::decode_base64_error};
  for (const auto &[name, value] : header_statuses) {
    CHECK(wx.count(werun_status_wx_code(value)) == 1, "wx code of %s: %d not in werun::wx",
          name.c_str(), static_cast<int>(werun_status_wx_code(value)));
  }
}

int main() {
  std::set<std::uint32_t> seen;
  test_vectors(seen);
  test_every_status(seen);
  test_sample_and_second_translation_unit();
  test_empty_appid_is_not_a_skip();
  test_appid_view_is_not_nul_terminated();
  test_freshness_and_strict_options_chain();
  test_large_input_needs_caller_scratch();
  test_keys_vectors();
  test_keys_calls();
  test_wx_codes();
  test_tables_equal_the_header();
  test_value_of_a_failure_aborts();
  test_version();
  std::printf("werun.hpp: %zu vectors, %zu keys vectors, %d checks, %d failures\n",
              static_cast<std::size_t>(WERUN_VECTOR_COUNT),
              static_cast<std::size_t>(WERUN_KEYS_VECTOR_COUNT), checks, failures);
  return failures == 0 ? 0 : 1;
}
