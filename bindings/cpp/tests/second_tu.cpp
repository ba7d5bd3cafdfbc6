// A second translation unit that includes werun.hpp (with -fno-exceptions in run-tests.sh):
// linking it with werun_test.cpp proves the header defines nothing twice, and that it needs no
// exceptions.

#include "werun.hpp"

std::size_t second_tu_sample_entries(const char *session_key, const char *iv,
                                     const char *encrypted_data, const char *appid);
const char *second_tu_message(werun::status s);

std::size_t second_tu_sample_entries(const char *session_key, const char *iv,
                                     const char *encrypted_data, const char *appid) {
  auto r = werun::decrypt_steps(session_key, iv, encrypted_data,
                                werun::options::expect_appid(appid));
  return r ? r->size() : 0;
}

const char *second_tu_message(werun::status s) { return werun::message(s); }

// The candidate-key overloads instantiated here too (the same templates, no second definition).
std::size_t second_tu_key_index(const char *stale_key, const char *session_key, const char *iv,
                                const char *encrypted_data, const char *appid);
std::size_t second_tu_key_index(const char *stale_key, const char *session_key, const char *iv,
                                const char *encrypted_data, const char *appid) {
  auto r = werun::decrypt_steps_with_keys({stale_key, session_key}, iv, encrypted_data,
                                          werun::options::expect_appid(appid));
  return r ? r->key_index() : werun::max_candidate_keys;
}
