/*
 * werun on a bare-metal Cortex-M4F (QEMU mps2-an386), linked from C through include/werun.h.
 *
 * Runs every vector of tests/vectors/werun_vectors.h through every C entry point (with a scratch
 * buffer, in place, werun_diagnose), checks status, steps, summary, JSON, diagnosis and that no
 * partial result or plaintext is left behind; measures the stack high-water mark of each call
 * (the stack is painted before the call) and the instructions of one decryption of the 31-entry
 * sample (SysTick under `qemu -icount shift=0`, where one instruction is one nanosecond).
 * Reports through Arm semihosting; the exit status is 0 only if every check passed.
 *
 * There is no heap: the image is linked with -nostdlib, and malloc and friends are --wrap'ped
 * to symbols that exist nowhere (see run.sh), so any allocator call fails the link.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "werun.h"
#include "werun_vectors.h"

#ifndef WERUN_FW_PROFILE
#define WERUN_FW_PROFILE "?"
#endif

/* ---------------------------------------------------------------- semihosting */

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* Exits QEMU with `code` as its exit status. */
static void __attribute__((noreturn)) semihost_exit(uint32_t code) {
  const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, code};
  semihost(SYS_EXIT_EXTENDED, block);
  for (;;) {
  }
}

static char line[512];
static size_t line_len;

static void say(const char *s) {
  while (*s && line_len < sizeof line - 2) line[line_len++] = *s++;
}

static void say_u(uint64_t v) {
  char digits[21];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n && line_len < sizeof line - 2) line[line_len++] = digits[--n];
}

static void flush(void) {
  line[line_len++] = '\n';
  line[line_len] = '\0';
  semihost(SYS_WRITE0, line);
  line_len = 0;
}

/* ---------------------------------------------------------------- startup */

extern uint32_t _data_start[], _data_end[], _data_load[], _bss_start[], _bss_end[];
extern uint32_t _stack_bottom[], _stack_top[];

int main(void);

void reset_handler(void) {
  for (uint32_t *src = _data_load, *dst = _data_start; dst < _data_end;) *dst++ = *src++;
  for (uint32_t *dst = _bss_start; dst < _bss_end;) *dst++ = 0;
  /* Full access to the FPU (CP10, CP11): the library is built for the hard-float ABI. */
  *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  semihost_exit((uint32_t)main());
}

static void fault_handler(void) {
  say("FAIL: processor fault");
  flush();
  semihost_exit(3);
}

__attribute__((section(".vectors"), used)) static const struct {
  uint32_t *initial_sp;
  void (*handlers[15])(void);
} vector_table = {
    _stack_top,
    {reset_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler, 0, 0,
     0, 0, fault_handler, fault_handler, 0, fault_handler, fault_handler},
};

#ifdef WERUN_FW_DEFINE_PANIC_SYMBOL
/* Only for builds where the link-time panic proof is not enforced (run.sh: opt-level "z"). */
void werun_panic_is_reachable(void) {
  say("FAIL: werun panicked");
  flush();
  semihost_exit(5);
}
#endif

/* ---------------------------------------------------------------- checks */

static unsigned failures;
static unsigned checks;

#define CHECK(cond, id, what)                                                  \
  do {                                                                         \
    checks++;                                                                  \
    if (!(cond)) {                                                             \
      failures++;                                                              \
      say("FAIL ");                                                            \
      say(id);                                                                 \
      say(": ");                                                               \
      say(what);                                                               \
      say(" (firmware.c:");                                                    \
      say_u(__LINE__);                                                         \
      say(")");                                                                \
      flush();                                                                 \
    }                                                                          \
  } while (0)

/* ---------------------------------------------------------------- the calls, probed */

enum api {
  API_DECRYPT_STEPS,
  API_DECRYPT_STEPS_IN_PLACE,
  API_OPEN_DATA,
  API_OPEN_DATA_IN_PLACE,
  API_DIAGNOSE,
  API_COUNT
};

static const char *const api_names[API_COUNT] = {
    "werun_decrypt_steps", "werun_decrypt_steps_in_place", "werun_open_data",
    "werun_open_data_in_place", "werun_diagnose"};

#define MAX_STEPS 64
#define BUFFER_LEN 4096
#define GUARD 0xA5u

/* Arguments and results of the call under test (globals, so the stack holds only werun). */
static struct {
  const uint8_t *key, *iv, *data;
  size_t key_len, iv_len, data_len, scratch_len, capacity;
  uint32_t diagnose_flags;
  werun_options options;
  uint32_t status;
  werun_summary summary;
  werun_open_data_result open;
  uint32_t diagnosis;
} call;

static uint8_t scratch[BUFFER_LEN + 16];
static uint8_t copy[BUFFER_LEN + 16];
static werun_step steps[MAX_STEPS];

/* The stack pointer at the call instruction, read after the caller's prologue (the outgoing
 * arguments area is part of the caller's frame, so it is not counted). */
static volatile uintptr_t sp_at_call;

#define READ_SP(v) __asm__ volatile("mov %0, sp" : "=r"(v))

static void __attribute__((noinline)) call_decrypt_steps(void) {
  uintptr_t sp;
  READ_SP(sp);
  sp_at_call = sp;
  call.status = werun_decrypt_steps(call.key, call.key_len, call.iv, call.iv_len, call.data,
                                    call.data_len, &call.options, scratch, call.scratch_len, steps,
                                    call.capacity, &call.summary);
}

static void __attribute__((noinline)) call_decrypt_steps_in_place(void) {
  uintptr_t sp;
  READ_SP(sp);
  sp_at_call = sp;
  call.status = werun_decrypt_steps_in_place(call.key, call.key_len, call.iv, call.iv_len, copy,
                                             call.data_len, &call.options, steps, call.capacity,
                                             &call.summary);
}

static void __attribute__((noinline)) call_open_data(void) {
  uintptr_t sp;
  READ_SP(sp);
  sp_at_call = sp;
  call.status = werun_open_data(call.key, call.key_len, call.iv, call.iv_len, call.data,
                                call.data_len, &call.options, scratch, call.scratch_len, &call.open);
}

static void __attribute__((noinline)) call_open_data_in_place(void) {
  uintptr_t sp;
  READ_SP(sp);
  sp_at_call = sp;
  call.status = werun_open_data_in_place(call.key, call.key_len, call.iv, call.iv_len, copy,
                                         call.data_len, &call.options, &call.open);
}

static void __attribute__((noinline)) call_diagnose(void) {
  uintptr_t sp;
  READ_SP(sp);
  sp_at_call = sp;
  call.status = werun_diagnose(call.key, call.key_len, call.iv, call.iv_len, call.data,
                               call.data_len, call.diagnose_flags, scratch, call.scratch_len,
                               &call.diagnosis);
}

static void __attribute__((noinline)) call_abi_version(void) {
  uintptr_t sp;
  READ_SP(sp);
  sp_at_call = sp;
  call.status = werun_abi_version();
}

static void (*const api_calls[API_COUNT])(void) = {
    call_decrypt_steps, call_decrypt_steps_in_place, call_open_data, call_open_data_in_place,
    call_diagnose};

#define PAINT 0x5AC3E1F7u

/* Runs `fn` on a painted stack; returns the bytes of stack it used below the call. */
static uint32_t __attribute__((noinline)) stack_probe(void (*fn)(void)) {
  uintptr_t sp;
  READ_SP(sp);
  volatile uint32_t *p = _stack_bottom;
  while ((uintptr_t)p < sp) *p++ = PAINT;
  fn();
  p = _stack_bottom;
  while ((uintptr_t)p < sp && *p == PAINT) p++;
  if (p == _stack_bottom) {
    say("FAIL: stack overflow (no painted word left)");
    flush();
    semihost_exit(4);
  }
  return (uint32_t)(sp_at_call - (uintptr_t)p);
}

static uint32_t stack_max[API_COUNT];
static const char *stack_max_id[API_COUNT];
static uint32_t stack_sample[API_COUNT];

/* ---------------------------------------------------------------- one vector */

static void prepare(const werun_vector *v) {
  memset(&call, 0, sizeof call);
  call.key = (const uint8_t *)v->session_key;
  call.key_len = strlen(v->session_key);
  call.iv = (const uint8_t *)v->iv;
  call.iv_len = strlen(v->iv);
  call.data = (const uint8_t *)v->encrypted_data;
  call.data_len = strlen(v->encrypted_data);
  call.scratch_len =
      v->scratch_len < 0 ? werun_scratch_len(call.data_len) : (size_t)v->scratch_len;
  call.capacity = v->capacity;
  if (v->appid) {
    call.options.appid = (const uint8_t *)v->appid;
    call.options.appid_len = strlen(v->appid);
  } else {
    call.options.flags |= WERUN_OPTION_SKIP_APPID_CHECK;
  }
  if (v->strict_base64) {
    call.options.flags |= WERUN_OPTION_STRICT_BASE64;
    call.diagnose_flags = WERUN_OPTION_STRICT_BASE64;
  }
  if (v->has_freshness) {
    call.options.flags |= WERUN_OPTION_CHECK_FRESHNESS;
    call.options.now = v->now;
    call.options.max_age = v->max_age;
  }
  /* Scratch zeroed (so a leftover is visible), guards after every buffer. */
  memset(scratch, 0, sizeof scratch);
  memset(scratch + call.scratch_len, GUARD, sizeof scratch - call.scratch_len);
  memset(copy, GUARD, sizeof copy);
  memcpy(copy, call.data, call.data_len);
  memset(steps, GUARD, sizeof steps);
  memset(&call.summary, GUARD, sizeof call.summary);
  memset(&call.open, GUARD, sizeof call.open);
  call.diagnosis = 0xA5A5A5A5u;
}

static int all_bytes(const void *p, size_t n, uint8_t value) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i] != value) return 0;
  return 1;
}

static void check_steps_call(const werun_vector *v, enum api api) {
  uint32_t want = v->status;
  if (api == API_DECRYPT_STEPS_IN_PLACE && want == WERUN_STATUS_BUFFER_TOO_SMALL)
    want = WERUN_STATUS_OK;
  if (call.status != want) {
    failures++;
    say("FAIL ");
    say(v->id);
    say(" ");
    say(api_names[api]);
    say(": status ");
    say_u(call.status);
    say(", want ");
    say_u(want);
    flush();
    return;
  }
  checks++;
  const char *id = v->id;
  CHECK(all_bytes(steps + call.capacity, sizeof steps - call.capacity * sizeof steps[0], GUARD), id,
        "wrote past steps_capacity");
  if (api == API_DECRYPT_STEPS) {
    CHECK(all_bytes(scratch, call.scratch_len, 0), id, "scratch not wiped");
    CHECK(all_bytes(scratch + call.scratch_len, sizeof scratch - call.scratch_len, GUARD), id,
          "wrote past scratch_len");
  } else {
    CHECK(all_bytes(copy + call.data_len, sizeof copy - call.data_len, GUARD), id,
          "wrote past encrypted_data_len");
    CHECK(call.status != WERUN_STATUS_OK || memcmp(copy, call.data, call.data_len) != 0, id,
          "in-place text left as it was");
  }
  if (want == WERUN_STATUS_OK) {
    if (v->status != WERUN_STATUS_OK) return; /* scratch-too-small, in place: no expectation */
    CHECK(call.summary.count == v->step_count, id, "step count");
    for (size_t i = 0; i < v->step_count && i < call.summary.count; i++)
      CHECK(steps[i].timestamp == v->steps[i].timestamp && steps[i].step == v->steps[i].step, id,
            "step differs");
    CHECK(call.summary.has_watermark == (uint8_t)v->has_watermark, id, "has_watermark");
    CHECK(call.summary.watermark_timestamp == v->watermark_timestamp, id, "watermark timestamp");
  } else {
    /* No partial result: the header promises every entry zeroed on statuses 2..=10, which
     * are all the vectors' failures, including those found before decryption (key, iv,
     * base64, length, scratch size). The array starts as GUARD bytes, so a zero is the call's
     * doing. (The padding bytes of werun_step need not be written by the zeroing: fields are
     * compared, not bytes.) */
    int zeroed = call.status >= 2 && call.status <= 10;
    for (size_t i = 0; i < call.capacity; i++)
      zeroed &= steps[i].timestamp == 0 && steps[i].step == 0;
    CHECK(zeroed, id, "steps not zeroed on failure");
    CHECK(all_bytes(&call.summary, sizeof call.summary, GUARD), id, "summary written on failure");
  }
}

static void check_open_call(const werun_vector *v, enum api api) {
  uint32_t want = v->status;
  if (api == API_OPEN_DATA_IN_PLACE && want == WERUN_STATUS_BUFFER_TOO_SMALL) want = WERUN_STATUS_OK;
  const char *id = v->id;
  CHECK(call.status == want, id, api == API_OPEN_DATA ? "werun_open_data status"
                                                      : "werun_open_data_in_place status");
  if (call.status != want) return;
  const uint8_t *json = api == API_OPEN_DATA ? scratch : copy;
  if (want == WERUN_STATUS_OK) {
    CHECK(v->json && call.open.json_len == strlen(v->json) &&
              memcmp(json, v->json, call.open.json_len) == 0,
          id, "JSON differs");
    CHECK(call.open.has_watermark == (uint8_t)v->has_watermark &&
              call.open.watermark_timestamp == v->watermark_timestamp,
          id, "watermark");
  } else {
    CHECK(all_bytes(&call.open, sizeof call.open, GUARD), id, "result written on failure");
    if (api == API_OPEN_DATA) CHECK(all_bytes(scratch, call.scratch_len, 0), id, "scratch not wiped");
  }
}

static void check_diagnose_call(const werun_vector *v) {
  if (v->diagnosis < 0) {
    CHECK(call.status != WERUN_STATUS_OK, v->id, "werun_diagnose should fail");
    CHECK(call.diagnosis == 0xA5A5A5A5u, v->id, "diagnosis written on failure");
  } else {
    CHECK(call.status == WERUN_STATUS_OK && call.diagnosis == (uint32_t)v->diagnosis, v->id,
          "diagnosis");
  }
}

static void run_vector(const werun_vector *v, int is_sample) {
  enum api first = v->open_data ? API_OPEN_DATA : API_DECRYPT_STEPS;
  for (enum api api = first; api <= first + 1; api++) {
    prepare(v);
    if (call.data_len > BUFFER_LEN || call.scratch_len > BUFFER_LEN) {
      CHECK(0, v->id, "vector larger than the firmware's buffers");
      return;
    }
    uint32_t used = stack_probe(api_calls[api]);
    if (used > stack_max[api]) {
      stack_max[api] = used;
      stack_max_id[api] = v->id;
    }
    if (is_sample) stack_sample[api] = used;
    if (v->open_data)
      check_open_call(v, api);
    else
      check_steps_call(v, api);
  }
  prepare(v);
  uint32_t used = stack_probe(call_diagnose);
  if (used > stack_max[API_DIAGNOSE]) {
    stack_max[API_DIAGNOSE] = used;
    stack_max_id[API_DIAGNOSE] = v->id;
  }
  if (is_sample) stack_sample[API_DIAGNOSE] = used;
  check_diagnose_call(v);
}

/* ---------------------------------------------------------------- C ABI details */

static void check_abi(void) {
  const werun_vector *v = &werun_vectors[0];
  prepare(v);
  CHECK(werun_decrypt_steps(call.key, call.key_len, call.iv, call.iv_len, call.data, call.data_len,
                            NULL, scratch, call.scratch_len, steps, 32,
                            &call.summary) == WERUN_STATUS_NULL_ARGUMENT,
        "abi", "NULL options");
  call.options.flags |= 0x80;
  CHECK(werun_decrypt_steps(call.key, call.key_len, call.iv, call.iv_len, call.data, call.data_len,
                            &call.options, scratch, call.scratch_len, steps, 32,
                            &call.summary) == WERUN_STATUS_INVALID_ARGUMENT,
        "abi", "unknown option flag");
  call.options.flags &= ~0x80u;
  CHECK(werun_decrypt_steps(call.key, call.key_len, call.iv, call.iv_len, call.data, call.data_len,
                            &call.options, scratch, call.scratch_len, steps, 32,
                            (werun_summary *)(void *)scratch) == WERUN_STATUS_INVALID_ARGUMENT,
        "abi", "overlapping buffers");
  for (uint32_t s = 0; s <= 12; s++)
    CHECK(strlen(werun_status_str(s)) > 5 && strcmp(werun_status_str(s), werun_status_str(999)) != 0,
          "abi", "status message");
  CHECK(strcmp(werun_status_str(13), "unknown werun status") == 0, "abi", "unknown status");
  CHECK(strcmp(werun_diagnosis_str(WERUN_DIAGNOSIS_TRUNCATED + 1), "unknown werun diagnosis") == 0,
        "abi", "unknown diagnosis");
  CHECK(werun_abi_version() == WERUN_ABI_VERSION, "abi", "ABI version");
  CHECK(strlen(werun_version()) >= 5, "abi", "version string");
}

/* ---------------------------------------------------------------- instruction counts */

#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)
#define CALIBRATION_LOOPS 1000000u /* 2 instructions each */
#define REPEATS 16u

static void __attribute__((noinline)) spin(uint32_t n) {
  __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static uint32_t ticks_of(void (*fn)(void), uint32_t repeats, int refresh_copy) {
  SYST_CVR = 0;
  uint32_t start = SYST_CVR;
  for (uint32_t i = 0; i < repeats; i++) {
    if (refresh_copy) memcpy(copy, call.data, call.data_len);
    fn();
  }
  uint32_t end = SYST_CVR;
  return (start - end) & 0xFFFFFFu;
}

static uint32_t calibration_ticks;

static uint64_t instructions(uint32_t ticks) {
  return ((uint64_t)ticks * 2u * CALIBRATION_LOOPS + calibration_ticks / 2) / calibration_ticks;
}

static void measure(const char *what, void (*fn)(void), int refresh_copy) {
  prepare(&werun_vectors[0]);
  uint32_t t = ticks_of(fn, REPEATS, refresh_copy);
  uint32_t base = ticks_of(call_abi_version, REPEATS, refresh_copy);
  CHECK(call.status == WERUN_ABI_VERSION, "timing", "baseline call");
  uint64_t per_call = (instructions(t) - instructions(base) + REPEATS / 2) / REPEATS;
  say("insns ");
  say(what);
  say(" sample: ");
  say_u(per_call);
  say(" instructions for ");
  say_u(call.data_len);
  say(" base64 characters (");
  say_u((per_call + call.data_len / 2) / call.data_len);
  say(" per character)");
  flush();
}

static void measure_instructions(void) {
  SYST_RVR = 0xFFFFFFu;
  SYST_CVR = 0;
  SYST_CSR = 5; /* enabled, processor clock, no interrupt */
  SYST_CVR = 0;
  uint32_t start = SYST_CVR;
  spin(CALIBRATION_LOOPS);
  calibration_ticks = (start - SYST_CVR) & 0xFFFFFFu;
  if (calibration_ticks == 0) {
    CHECK(0, "timing", "SysTick does not count");
    return;
  }
  say("timing: SysTick, ");
  say_u(calibration_ticks);
  say(" ticks for ");
  say_u(2u * CALIBRATION_LOOPS);
  say(" instructions (exact only under qemu -icount shift=0)");
  flush();
  measure("werun_decrypt_steps", call_decrypt_steps, 0);
  measure("werun_decrypt_steps_in_place", call_decrypt_steps_in_place, 1);
  measure("werun_diagnose", call_diagnose, 0);
}

/* ---------------------------------------------------------------- main */

int main(void) {
  say("werun-fw: opt-level ");
  say(WERUN_FW_PROFILE);
  say(", werun ");
  say(werun_version());
  say(", ");
  say_u(WERUN_VECTOR_COUNT);
  say(" vectors");
  flush();
  for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++) {
    const werun_vector *v = &werun_vectors[i];
    run_vector(v, i == 0 || strcmp(v->id, "open-data-werun") == 0);
  }
  check_abi();
  for (enum api api = 0; api < API_COUNT; api++) {
    say("stack ");
    say(api_names[api]);
    say(": max ");
    say_u(stack_max[api]);
    say(" B (");
    say(stack_max_id[api] ? stack_max_id[api] : "-");
    say("), sample ");
    say_u(stack_sample[api]);
    say(" B");
    flush();
  }
  measure_instructions();
  say(failures ? "FAILED: " : "PASSED: ");
  say_u(checks);
  say(" checks, ");
  say_u(failures);
  say(" failures");
  flush();
  return failures ? 1 : 0;
}
