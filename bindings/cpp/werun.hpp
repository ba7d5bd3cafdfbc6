// werun.hpp: a header-only C++17 wrapper over werun.h, the C ABI of werun, which decrypts
// WeChat WeRun (wx.getWeRunData) step data and other WeChat "open data".
//
//   auto steps = werun::decrypt_steps(session_key, iv, encrypted_data,
//                                     werun::options::expect_appid("wx4f4bc4dec97d474b"));
//   if (!steps) {
//     log(steps.message());                 // werun_status_str: what to do about it
//     return reply_generic_error();         // one error to the client (see werun::diagnose)
//   }
//   for (const werun_step &day : *steps) use(day.timestamp, day.step);
//
// Error style: every call returns a [[nodiscard]] werun::result<T> and is noexcept. No
// exceptions, on purpose: a stale session_key (DECRYPT_FAILED) or another mini-program's data
// (APPID_MISMATCH) is a routine outcome for a backend, not an exceptional one; the header stays
// usable with -fno-exceptions (the library also targets firmware); and no call allocates
// (an exception would). Calling value() on a failed result is a precondition violation that
// calls std::abort(), never undefined behaviour.
//
// Inputs are std::string_view (no NUL terminator needed); the appid in werun::options is a
// view too and must outlive the calls that use the options. Results own their storage: a
// fixed-size std::array of steps, or the open data's JSON in a fixed buffer that is wiped when
// the result is destroyed. Link with werun::werun (CMake) or
// `libwerun.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc`.

#ifndef WERUN_HPP
#define WERUN_HPP

// C++17 or later (std::string_view, if constexpr, the _v traits). MSVC reports __cplusplus as
// 199711L unless /Zc:__cplusplus is given: _MSVC_LANG holds its real language version.
#if defined(_MSVC_LANG) ? _MSVC_LANG < 201703L : __cplusplus < 201703L
#error "werun.hpp needs C++17 (-std=c++17 or later; /std:c++17 with MSVC)"
#else  // the rest of the header, skipped before C++17 so that the #error is the only error

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <iterator>
#include <string_view>
#include <type_traits>
#include <utility>

#include "werun.h"

namespace werun {

// The C structs are used as they are; these checks pin the layout the library was built for
// (Rust #[repr(C)]) so that a mismatched header fails to compile instead of corrupting memory.
static_assert(std::is_standard_layout_v<werun_step> && std::is_trivially_copyable_v<werun_step>);
static_assert(offsetof(werun_step, timestamp) == 0);
static_assert(offsetof(werun_step, step) == sizeof(std::int64_t));
static_assert(sizeof(werun_step) == 2 * alignof(std::int64_t) ||
              sizeof(werun_step) == sizeof(std::int64_t) + sizeof(std::uint32_t));
static_assert(std::is_same_v<std::underlying_type_t<werun_status>, std::uint32_t>);
static_assert(std::is_standard_layout_v<werun_options>);
static_assert(offsetof(werun_options, appid) == 0);
static_assert(offsetof(werun_options, appid_len) == sizeof(const std::uint8_t *));
static_assert(std::is_standard_layout_v<werun_summary> && offsetof(werun_summary, count) == 0);
static_assert(std::is_standard_layout_v<werun_open_data_result> &&
              offsetof(werun_open_data_result, json_len) == 0);
static_assert(std::is_standard_layout_v<werun_bytes> && offsetof(werun_bytes, ptr) == 0 &&
              offsetof(werun_bytes, len) == sizeof(const std::uint8_t *));

/// The result of every call, with the C header's values (stable, never renumbered).
enum class status : std::uint32_t {
  ok = WERUN_STATUS_OK,
  null_argument = WERUN_STATUS_NULL_ARGUMENT,
  session_key_invalid = WERUN_STATUS_SESSION_KEY_INVALID,
  iv_invalid = WERUN_STATUS_IV_INVALID,
  encrypted_data_invalid = WERUN_STATUS_ENCRYPTED_DATA_INVALID,
  ciphertext_length = WERUN_STATUS_CIPHERTEXT_LENGTH,
  buffer_too_small = WERUN_STATUS_BUFFER_TOO_SMALL,
  decrypt_failed = WERUN_STATUS_DECRYPT_FAILED,
  appid_mismatch = WERUN_STATUS_APPID_MISMATCH,
  watermark_expired = WERUN_STATUS_WATERMARK_EXPIRED,
  capacity_exceeded = WERUN_STATUS_CAPACITY_EXCEEDED,
  internal = WERUN_STATUS_INTERNAL,
  invalid_argument = WERUN_STATUS_INVALID_ARGUMENT,
};

/// The library's static message for a status, with advice (werun_status_str; never null).
inline const char *message(status s) noexcept {
  return werun_status_str(static_cast<std::uint32_t>(s));
}

/// The code WeChat's official WXBizDataCrypt sample returns for the same input
/// (werun_status_wx_code), for a backend that replaces the sample and must keep answering with
/// its codes: wx::illegal_aes_key for status::session_key_invalid, wx::illegal_iv for
/// status::iv_invalid, wx::decode_base64_error for status::encrypted_data_invalid, wx::ok for
/// status::ok, and wx::illegal_buffer for everything else: ciphertext_length, decrypt_failed,
/// appid_mismatch, the statuses the sample has no counterpart for (watermark_expired,
/// capacity_exceeded, ...) and unknown values.
inline std::int32_t wx_code(status s) noexcept {
  return werun_status_wx_code(static_cast<std::uint32_t>(s));
}

/// The codes of WeChat's WXBizDataCrypt sample (its ErrorCode names), which wx_code returns.
namespace wx {
inline constexpr std::int32_t ok = 0;
inline constexpr std::int32_t illegal_aes_key = -41001;
inline constexpr std::int32_t illegal_iv = -41002;
inline constexpr std::int32_t illegal_buffer = -41003;
inline constexpr std::int32_t decode_base64_error = -41004;
}  // namespace wx

/// The likely cause of a status::decrypt_failed, for server logs only (see diagnose).
enum class diagnosis : std::uint32_t {
  werun_data = WERUN_DIAGNOSIS_WERUN_DATA,
  not_werun_data = WERUN_DIAGNOSIS_NOT_WERUN_DATA,
  session_key_mismatch = WERUN_DIAGNOSIS_SESSION_KEY_MISMATCH,
  iv_mismatch = WERUN_DIAGNOSIS_IV_MISMATCH,
  garbled = WERUN_DIAGNOSIS_GARBLED,
  truncated = WERUN_DIAGNOSIS_TRUNCATED,
};

/// The library's explanation of a diagnosis (werun_diagnosis_str; never null).
inline const char *message(diagnosis d) noexcept {
  return werun_diagnosis_str(static_cast<std::uint32_t>(d));
}

/// The version of the linked library, such as "0.1.0".
inline const char *version() noexcept { return werun_version(); }

/// True when the linked library implements the ABI this header describes.
inline bool abi_matches() noexcept { return werun_abi_version() == WERUN_ABI_VERSION; }

/// The scratch size the explicit-scratch overloads can need for `encrypted_data_len` bytes of
/// base64.
inline std::size_t scratch_len(std::size_t encrypted_data_len) noexcept {
  return werun_scratch_len(encrypted_data_len);
}

/// The scratch size decrypt_steps_with_keys needs for `encrypted_data_len` bytes of base64:
/// twice scratch_len (the ciphertext, decoded once, and room to decrypt each candidate's copy).
inline std::size_t scratch_len_with_keys(std::size_t encrypted_data_len) noexcept {
  return werun_scratch_len_with_keys(encrypted_data_len);
}

/// The most candidate keys decrypt_steps_with_keys takes.
inline constexpr std::size_t max_candidate_keys = WERUN_MAX_CANDIDATE_KEYS;

/// The scratch buffer the overloads without one keep on the stack: enough for 4096 decoded
/// bytes (a real 31-entry payload is about 1250). Larger data gets status::buffer_too_small;
/// pass your own scratch of werun::scratch_len(encrypted_data.size()) bytes for it.
inline constexpr std::size_t default_scratch_size = 4096;

/// The stack scratch of decrypt_steps_with_keys without one: twice default_scratch_size, for
/// the same data.
inline constexpr std::size_t default_scratch_size_with_keys = 2 * default_scratch_size;

/// How a payload is checked. There is no default constructor: the appid check is either
/// asked for or skipped in writing.
class options {
 public:
  /// Check that watermark.appid is `appid` (byte for byte; an empty appid never matches).
  /// The view must outlive the calls that use these options.
  static options expect_appid(std::string_view appid) noexcept {
    return options(appid.data() != nullptr ? appid.data() : "", appid.size(), 0);
  }
  /// Skip the appid check; only then is a payload without a watermark accepted.
  static options skip_appid_check() noexcept {
    return options(nullptr, 0, WERUN_OPTION_SKIP_APPID_CHECK);
  }
  /// Also require the watermark to be at most `max_age` seconds old at `now` (Unix seconds):
  /// status::watermark_expired otherwise (too old, in the future or missing).
  [[nodiscard]] options max_age(std::int64_t now, std::uint64_t max_age) const noexcept {
    options o = *this;
    o.c_.flags |= WERUN_OPTION_CHECK_FRESHNESS;
    o.c_.now = now;
    o.c_.max_age = max_age;
    return o;
  }
  /// Read base64 strictly (RFC 4648, canonical) instead of repairing it.
  [[nodiscard]] options strict_base64() const noexcept {
    options o = *this;
    o.c_.flags |= WERUN_OPTION_STRICT_BASE64;
    return o;
  }
  /// The options as the C ABI takes them.
  const werun_options &c_options() const noexcept { return c_; }

 private:
  options(const char *appid, std::size_t len, std::uint32_t flags) noexcept
      : c_{reinterpret_cast<const std::uint8_t *>(appid), len, flags, 0, 0} {}
  werun_options c_;
};

/// A value or the status that prevented it. Test it (`if (r)`, `ok()`) before reading the
/// value; value(), `*` and `->` on a failed result call std::abort().
template <typename T>
class [[nodiscard]] result {
 public:
  /// A success.
  explicit result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)
      : status_(werun::status::ok), value_(std::move(value)) {}
  /// A success whose value is built in place (value-initialized), to be filled by the caller.
  explicit result(std::in_place_t) noexcept(std::is_nothrow_default_constructible_v<T>)
      : status_(werun::status::ok), value_() {}
  /// A failure (`s` is not status::ok).
  explicit result(werun::status s) noexcept(std::is_nothrow_default_constructible_v<T>)
      : status_(s), value_() {}

  bool ok() const noexcept { return status_ == werun::status::ok; }
  explicit operator bool() const noexcept { return ok(); }
  werun::status status() const noexcept { return status_; }
  /// The library's message for status() ("success" on success).
  const char *message() const noexcept { return werun::message(status_); }
  /// The WXBizDataCrypt sample's code for status() (see werun::wx_code).
  std::int32_t wx_code() const noexcept { return werun::wx_code(status_); }

  T &value() & noexcept { return check(), value_; }
  const T &value() const & noexcept { return check(), value_; }
  T &&value() && noexcept { return check(), std::move(value_); }
  T &operator*() & noexcept { return value(); }
  const T &operator*() const & noexcept { return value(); }
  T *operator->() noexcept { return &value(); }
  const T *operator->() const noexcept { return &value(); }

 private:
  void check() const noexcept {
    if (status_ != werun::status::ok) std::abort();
  }
  werun::status status_;
  T value_;
};

/// Steps of a WeRun payload, in document order, in a fixed array of `Capacity` entries (more
/// entries than that is status::capacity_exceeded, never a truncation). Iterable.
template <std::size_t Capacity>
class basic_steps {
 public:
  using value_type = werun_step;
  using const_iterator = const werun_step *;
  using iterator = const_iterator;

  basic_steps() noexcept = default;

  const werun_step *begin() const noexcept { return steps_.data(); }
  const werun_step *end() const noexcept { return steps_.data() + count_; }
  const werun_step *data() const noexcept { return steps_.data(); }
  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  static constexpr std::size_t capacity() noexcept { return Capacity; }
  /// Entry `i` (< size(); unchecked, like std::array).
  const werun_step &operator[](std::size_t i) const noexcept { return steps_[i]; }
  /// watermark.timestamp (Unix seconds); 0 when has_watermark() is false.
  std::int64_t watermark_timestamp() const noexcept { return watermark_timestamp_; }
  /// False only for a payload without a watermark (accepted with skip_appid_check()).
  bool has_watermark() const noexcept { return has_watermark_; }
  /// The index of the candidate key that decrypted the data (decrypt_steps_with_keys); 0 for
  /// decrypt_steps.
  std::size_t key_index() const noexcept { return key_index_; }

 /// Decrypts into a new basic_steps (see werun::decrypt_steps).
  static result<basic_steps> decrypt(std::string_view session_key, std::string_view iv,
                                     std::string_view encrypted_data, const options &opts,
                                     std::uint8_t *scratch, std::size_t scratch_size) noexcept {
    result<basic_steps> r{std::in_place};  // no temporary to copy (560 bytes)
    basic_steps &out = *r;
    werun_summary summary{};
    const werun_status s = werun_decrypt_steps(
        reinterpret_cast<const std::uint8_t *>(session_key.data()), session_key.size(),
        reinterpret_cast<const std::uint8_t *>(iv.data()), iv.size(),
        reinterpret_cast<const std::uint8_t *>(encrypted_data.data()), encrypted_data.size(),
        &opts.c_options(), scratch, scratch_size, out.steps_.data(), Capacity, &summary);
    if (s != WERUN_STATUS_OK) return result<basic_steps>(static_cast<werun::status>(s));
    out.count_ = summary.count;
    out.watermark_timestamp_ = summary.watermark_timestamp;
    out.has_watermark_ = summary.has_watermark != 0;
    return r;
  }

  /// Decrypts with candidate keys into a new basic_steps (see werun::decrypt_steps_with_keys).
  static result<basic_steps> decrypt_with_keys(const std::string_view *keys, std::size_t count,
                                               std::string_view iv,
                                               std::string_view encrypted_data,
                                               const options &opts, std::uint8_t *scratch,
                                               std::size_t scratch_size) noexcept {
    if (count == 0 || count > max_candidate_keys) {
      return result<basic_steps>(werun::status::invalid_argument);
    }
    std::array<werun_bytes, max_candidate_keys> candidates{};
    for (std::size_t i = 0; i < count; ++i) {
      candidates[i] = {reinterpret_cast<const std::uint8_t *>(keys[i].data()), keys[i].size()};
    }
    result<basic_steps> r{std::in_place};
    basic_steps &out = *r;
    werun_summary summary{};
    std::size_t key_index = 0;
    const werun_status s = werun_decrypt_steps_with_keys(
        candidates.data(), count, reinterpret_cast<const std::uint8_t *>(iv.data()), iv.size(),
        reinterpret_cast<const std::uint8_t *>(encrypted_data.data()), encrypted_data.size(),
        &opts.c_options(), scratch, scratch_size, out.steps_.data(), Capacity, &summary,
        &key_index);
    if (s != WERUN_STATUS_OK) return result<basic_steps>(static_cast<werun::status>(s));
    out.count_ = summary.count;
    out.watermark_timestamp_ = summary.watermark_timestamp;
    out.has_watermark_ = summary.has_watermark != 0;
    out.key_index_ = key_index;
    return r;
  }

 private:
  std::array<werun_step, Capacity> steps_{};
  std::size_t count_ = 0;
  std::int64_t watermark_timestamp_ = 0;
  bool has_watermark_ = false;
  std::size_t key_index_ = 0;
};

/// The default: room for every real payload (31 entries).
using steps = basic_steps<WERUN_DEFAULT_CAPACITY>;

namespace detail {
inline const std::uint8_t *bytes(std::string_view s) noexcept {
  return reinterpret_cast<const std::uint8_t *>(s.data());
}

/// Zeroes memory in a way the optimizer keeps.
inline void wipe(void *p, std::size_t n) noexcept {
  volatile unsigned char *b = static_cast<volatile unsigned char *>(p);
  for (std::size_t i = 0; i < n; ++i) b[i] = 0;
}
}  // namespace detail

/// Decrypts WeRun data (encryptedData from wx.getWeRunData) into an owned array of
/// `Capacity` steps, using `scratch` (at least scratch_len(encrypted_data.size()) bytes, or
/// exactly the decoded size; wiped before return). `scratch` must not overlap the inputs.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps(std::string_view session_key,
                                                          std::string_view iv,
                                                          std::string_view encrypted_data,
                                                          const options &opts,
                                                          std::uint8_t *scratch,
                                                          std::size_t scratch_size) noexcept {
  return basic_steps<Capacity>::decrypt(session_key, iv, encrypted_data, opts, scratch,
                                        scratch_size);
}

/// decrypt_steps with a scratch buffer of default_scratch_size bytes on the stack.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps(std::string_view session_key,
                                                          std::string_view iv,
                                                          std::string_view encrypted_data,
                                                          const options &opts) noexcept {
  std::array<std::uint8_t, default_scratch_size> scratch;  // wiped by the library
  return decrypt_steps<Capacity>(session_key, iv, encrypted_data, opts, scratch.data(),
                                 scratch.size());
}

/// decrypt_steps with several candidate session keys, for a key rotated by a new wx.login: keep
/// the previous key for a short while and pass both, in the order to try them. The data is
/// decoded once; the first key under which it decrypts to WeRun data decides the outcome, and
/// key_index() of the result is its index.
///
/// `keys`, `count`: 1 to max_candidate_keys views (status::invalid_argument otherwise, before
/// any call). Every candidate must be base64 of 16 bytes: one that is not fails the call with
/// status::session_key_invalid, even when another is the right key. When no candidate decrypts
/// the data: status::decrypt_failed, as with one key. `scratch`: at least
/// scratch_len_with_keys(encrypted_data.size()) bytes, wiped before return.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps_with_keys(
    const std::string_view *keys, std::size_t count, std::string_view iv,
    std::string_view encrypted_data, const options &opts, std::uint8_t *scratch,
    std::size_t scratch_size) noexcept {
  return basic_steps<Capacity>::decrypt_with_keys(keys, count, iv, encrypted_data, opts,
                                                  scratch, scratch_size);
}

/// decrypt_steps_with_keys with a scratch buffer of default_scratch_size_with_keys bytes on
/// the stack.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps_with_keys(
    const std::string_view *keys, std::size_t count, std::string_view iv,
    std::string_view encrypted_data, const options &opts) noexcept {
  std::array<std::uint8_t, default_scratch_size_with_keys> scratch;  // wiped by the library
  return decrypt_steps_with_keys<Capacity>(keys, count, iv, encrypted_data, opts,
                                           scratch.data(), scratch.size());
}

/// decrypt_steps_with_keys with the keys written in the call:
/// `werun::decrypt_steps_with_keys({current_key, previous_key}, iv, data, opts)`.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps_with_keys(
    std::initializer_list<std::string_view> keys, std::string_view iv,
    std::string_view encrypted_data, const options &opts) noexcept {
  return decrypt_steps_with_keys<Capacity>(keys.begin(), keys.size(), iv, encrypted_data, opts);
}

/// The same with an explicit scratch buffer.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps_with_keys(
    std::initializer_list<std::string_view> keys, std::string_view iv,
    std::string_view encrypted_data, const options &opts, std::uint8_t *scratch,
    std::size_t scratch_size) noexcept {
  return decrypt_steps_with_keys<Capacity>(keys.begin(), keys.size(), iv, encrypted_data, opts,
                                           scratch, scratch_size);
}

namespace detail {
template <typename Keys, typename = void>
struct is_key_range : std::false_type {};
template <typename Keys>
struct is_key_range<Keys, std::void_t<decltype(std::size(std::declval<const Keys &>())),
                                      decltype(*std::begin(std::declval<const Keys &>()))>>
    : std::is_convertible<decltype(*std::begin(std::declval<const Keys &>())), std::string_view> {};
}  // namespace detail

/// decrypt_steps_with_keys with the keys in a container of anything convertible to
/// std::string_view (std::vector<std::string>, std::array<std::string_view, 2>, a C array,
/// C++20 std::span, ...). More than max_candidate_keys: status::invalid_argument.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY, typename Keys,
          typename = std::enable_if_t<detail::is_key_range<Keys>::value>>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps_with_keys(
    const Keys &keys, std::string_view iv, std::string_view encrypted_data, const options &opts,
    std::uint8_t *scratch, std::size_t scratch_size) noexcept {
  const std::size_t count = static_cast<std::size_t>(std::size(keys));
  if (count == 0 || count > max_candidate_keys) {
    return result<basic_steps<Capacity>>(status::invalid_argument);
  }
  std::array<std::string_view, max_candidate_keys> views{};
  std::size_t i = 0;
  for (const auto &key : keys) views[i++] = std::string_view(key);
  return decrypt_steps_with_keys<Capacity>(views.data(), count, iv, encrypted_data, opts, scratch,
                                           scratch_size);
}

/// The same with a scratch buffer of default_scratch_size_with_keys bytes on the stack.
template <std::size_t Capacity = WERUN_DEFAULT_CAPACITY, typename Keys,
          typename = std::enable_if_t<detail::is_key_range<Keys>::value>>
[[nodiscard]] result<basic_steps<Capacity>> decrypt_steps_with_keys(
    const Keys &keys, std::string_view iv, std::string_view encrypted_data,
    const options &opts) noexcept {
  std::array<std::uint8_t, default_scratch_size_with_keys> scratch;  // wiped by the library
  return decrypt_steps_with_keys<Capacity>(keys, iv, encrypted_data, opts, scratch.data(),
                                           scratch.size());
}

/// Decrypted open data whose JSON lies in a caller's buffer (see open_data with a scratch
/// buffer): wipe that buffer when done with it.
struct open_data_view {
  /// The plaintext JSON (phone number, user info, ...), watermark included.
  std::string_view json;
  /// watermark.timestamp (Unix seconds); 0 when has_watermark is false.
  std::int64_t watermark_timestamp = 0;
  /// False only for a payload without a watermark (skip_appid_check()).
  bool has_watermark = false;
};

/// Decrypts any open data (phone number, user info, share info, WeRun) and verifies its
/// watermark. On success the JSON is the start of `scratch` (the view points into it); on
/// failure `scratch` is wiped.
[[nodiscard]] inline result<open_data_view> open_data(std::string_view session_key,
                                                      std::string_view iv,
                                                      std::string_view encrypted_data,
                                                      const options &opts,
                                                      std::uint8_t *scratch,
                                                      std::size_t scratch_size) noexcept {
  werun_open_data_result r{};
  const werun_status s = werun_open_data(
      detail::bytes(session_key), session_key.size(), detail::bytes(iv), iv.size(),
      detail::bytes(encrypted_data), encrypted_data.size(), &opts.c_options(), scratch,
      scratch_size, &r);
  if (s != WERUN_STATUS_OK) return result<open_data_view>(static_cast<werun::status>(s));
  return result<open_data_view>(
      open_data_view{std::string_view(reinterpret_cast<const char *>(scratch), r.json_len),
                     r.watermark_timestamp, r.has_watermark != 0});
}

/// Decrypted open data that owns its JSON in a fixed buffer of `ScratchSize` bytes, wiped
/// when it is destroyed or moved from. Not copyable (one copy of the plaintext).
template <std::size_t ScratchSize>
class basic_open_data {
 public:
  basic_open_data() noexcept = default;
  basic_open_data(const basic_open_data &) = delete;
  basic_open_data &operator=(const basic_open_data &) = delete;
  basic_open_data(basic_open_data &&other) noexcept { take(other); }
  basic_open_data &operator=(basic_open_data &&other) noexcept {
    if (this != &other) take(other);
    return *this;
  }
  ~basic_open_data() { detail::wipe(buffer_.data(), json_len_); }

  /// The plaintext JSON, valid while this object lives.
  std::string_view json() const noexcept {
    return std::string_view(reinterpret_cast<const char *>(buffer_.data()), json_len_);
  }
  std::int64_t watermark_timestamp() const noexcept { return watermark_timestamp_; }
  bool has_watermark() const noexcept { return has_watermark_; }

 /// Decrypts into a new basic_open_data (see werun::open_data).
  static result<basic_open_data> open(std::string_view session_key, std::string_view iv,
                                      std::string_view encrypted_data,
                                      const options &opts) noexcept;

 private:
  // Only the first json_len_ bytes ever hold plaintext (the library wipes the rest).
  void take(basic_open_data &other) noexcept {
    detail::wipe(buffer_.data(), json_len_);
    for (std::size_t i = 0; i < other.json_len_; ++i) buffer_[i] = other.buffer_[i];
    json_len_ = other.json_len_;
    watermark_timestamp_ = other.watermark_timestamp_;
    has_watermark_ = other.has_watermark_;
    detail::wipe(other.buffer_.data(), other.json_len_);
    other.json_len_ = 0;
  }
  std::array<std::uint8_t, ScratchSize> buffer_{};
  std::size_t json_len_ = 0;
  std::int64_t watermark_timestamp_ = 0;
  bool has_watermark_ = false;
};

template <std::size_t ScratchSize>
result<basic_open_data<ScratchSize>> basic_open_data<ScratchSize>::open(
    std::string_view session_key, std::string_view iv, std::string_view encrypted_data,
    const options &opts) noexcept {
  result<basic_open_data> r{basic_open_data()};
  basic_open_data &out = *r;
  auto view = open_data(session_key, iv, encrypted_data, opts, out.buffer_.data(),
                        out.buffer_.size());
  if (!view) return result<basic_open_data>(view.status());
  out.json_len_ = view->json.size();
  out.watermark_timestamp_ = view->watermark_timestamp;
  out.has_watermark_ = view->has_watermark;
  return r;
}

/// open_data into an owned, self-wiping buffer of `ScratchSize` bytes.
template <std::size_t ScratchSize = default_scratch_size>
[[nodiscard]] result<basic_open_data<ScratchSize>> open_data(std::string_view session_key,
                                                             std::string_view iv,
                                                             std::string_view encrypted_data,
                                                             const options &opts) noexcept {
  return basic_open_data<ScratchSize>::open(session_key, iv, encrypted_data, opts);
}

/// For server logs only: names the likely cause of a status::decrypt_failed (a stale
/// session_key, the wrong iv, not WeRun data, garbled data). **Never return it to a client**:
/// telling these causes apart is a padding oracle that lets a client forge step counts.
///
/// Only strict_base64() of `opts` is used (pass the options of the failed call); the appid and
/// freshness are not checked. Fails only for inputs that cannot be decrypted at all.
[[nodiscard]] inline result<diagnosis> diagnose(std::string_view session_key,
                                                std::string_view iv,
                                                std::string_view encrypted_data,
                                                const options &opts, std::uint8_t *scratch,
                                                std::size_t scratch_size) noexcept {
  std::uint32_t found = 0;
  const werun_status s = werun_diagnose(
      detail::bytes(session_key), session_key.size(), detail::bytes(iv), iv.size(),
      detail::bytes(encrypted_data), encrypted_data.size(),
      opts.c_options().flags & WERUN_OPTION_STRICT_BASE64, scratch, scratch_size, &found);
  if (s != WERUN_STATUS_OK) return result<diagnosis>(static_cast<werun::status>(s));
  return result<diagnosis>(static_cast<diagnosis>(found));
}

/// diagnose with a scratch buffer of default_scratch_size bytes on the stack.
[[nodiscard]] inline result<diagnosis> diagnose(std::string_view session_key,
                                                std::string_view iv,
                                                std::string_view encrypted_data,
                                                const options &opts) noexcept {
  std::array<std::uint8_t, default_scratch_size> scratch;  // wiped by the library
  return diagnose(session_key, iv, encrypted_data, opts, scratch.data(), scratch.size());
}

}  // namespace werun

#endif  // C++17
#endif  // WERUN_HPP
