/*
 * werun on bare metal, linked from C through include/werun.h: Cortex-M4F (QEMU mps2-an386) and
 * RISC-V RV32IMC (QEMU virt).
 *
 * Two images from this file:
 * - the full image runs every vector of tests/vectors/werun_vectors.h through every C entry
 *   point (with a scratch buffer, in place, werun_diagnose, the candidate-key call);
 * - the decrypt-only image (-DWERUN_FW_DECRYPT_ONLY) calls werun_decrypt_steps alone, as most
 *   devices do, so that the linker keeps only what that call needs: its flash is the figure a
 *   board pays.
 * Both check status, steps, summary, JSON, diagnosis and that no partial result or plaintext is
 * left behind; measure the stack high-water mark of each call (the stack is painted before the
 * call) and the instructions of one decryption of the 31-entry sample (exact under
 * `qemu -icount shift=0`); and, after every call, search the stack the call used for key
 * material: the 16 key bytes, the key's base64 text, the 10 AES-128 round keys and the 9
 * InvMixColumns forms of the decryption schedule (computed here, with a key expansion checked
 * against FIPS-197), and check that the call wrote nothing deeper than its stack scrub reaches
 * (the software AES keeps its schedule in a bitsliced form that is not searched for by value:
 * it lies inside the scrubbed window). Reports through semihosting; the exit status is 0 only
 * if every check passed.
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
#ifdef WERUN_FW_DECRYPT_ONLY
#define IMAGE "decrypt-only"
#else
#define IMAGE "full"
#endif

/* ---------------------------------------------------------------- the target */

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

extern uint32_t _data_start[], _data_end[], _data_load[], _bss_start[], _bss_end[];
extern uint32_t _stack_bottom[], _stack_top[];

int main(void);
static void fault_handler(void);
static void __attribute__((noreturn)) semihost_exit(uint32_t code);

static void init_memory(void) {
  for (uint32_t *src = _data_load, *dst = _data_start; dst < _data_end;) *dst++ = *src++;
  for (uint32_t *dst = _bss_start; dst < _bss_end;) *dst++ = 0;
}

#if defined(__arm__)
#define TARGET "thumbv7em-none-eabihf (Cortex-M4F, mps2-an386)"
#define READ_SP(v) __asm__ volatile("mov %0, sp" : "=r"(v))

static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void reset_handler(void) {
  init_memory();
  /* Full access to the FPU (CP10, CP11): the library is built for the hard-float ABI. */
  *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  semihost_exit((uint32_t)main());
}

__attribute__((section(".vectors"), used)) static const struct {
  uint32_t *initial_sp;
  void (*handlers[15])(void);
} vector_table = {
    _stack_top,
    {reset_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler, 0, 0,
     0, 0, fault_handler, fault_handler, 0, fault_handler, fault_handler},
};

/* The instruction clock: SysTick, a 24-bit down-counter on the processor clock. Under
 * `-icount shift=0` the virtual clock advances 1 ns per instruction; the ratio of ticks to
 * instructions is calibrated below. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)

static void clock_start(void) {
  SYST_RVR = 0xFFFFFFu;
  SYST_CVR = 0;
  SYST_CSR = 5; /* enabled, processor clock, no interrupt */
}
static uint32_t clock_read(void) { return 0xFFFFFFu - SYST_CVR; }
static uint32_t clock_elapsed(uint32_t start, uint32_t end) { return (end - start) & 0xFFFFFFu; }

static void __attribute__((noinline)) spin(uint32_t n) {
  __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

#elif defined(__riscv)
#define TARGET "riscv32imc-unknown-none-elf (RV32IMC, virt)"
#define READ_SP(v) __asm__ volatile("mv %0, sp" : "=r"(v))

/* RISC-V semihosting: the Arm operations, trapped by this exact uncompressed sequence. */
static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t a0 __asm__("a0") = op;
  register const void *a1 __asm__("a1") = arg;
  __asm__ volatile(".option push\n\t.option norvc\n\t.balign 16\n\t"
                   "slli zero, zero, 0x1f\n\tebreak\n\tsrai zero, zero, 7\n\t.option pop"
                   : "+r"(a0)
                   : "r"(a1)
                   : "memory");
  return a0;
}

void reset_handler(void) {
  init_memory();
  __asm__ volatile("csrw mtvec, %0" : : "r"(fault_handler));
  semihost_exit((uint32_t)main());
}

/* QEMU's virt board jumps to the start of RAM: the stack pointer first, then C. */
__attribute__((naked, section(".text.start"), used)) void _start(void) {
  __asm__ volatile("la sp, _stack_top\n\tj reset_handler");
}

/* The instruction clock: minstret, which QEMU derives from its instruction counter under
 * `-icount` (calibrated below all the same). */
static void clock_start(void) {}
static uint32_t clock_read(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, minstret" : "=r"(v));
  return v;
}
static uint32_t clock_elapsed(uint32_t start, uint32_t end) { return end - start; }

static void __attribute__((noinline)) spin(uint32_t n) {
  __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
}

#else
#error "firmware.c: unknown target"
#endif

/* ---------------------------------------------------------------- semihosting output */

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

/* (32 bits: a 64-bit division would pull compiler_builtins' helpers out of the staticlib and
 * count them as werun's flash.) */
static void say_u(uint32_t v) {
  char digits[11];
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

static void __attribute__((aligned(4))) fault_handler(void) {
  say("FAIL: processor fault");
  flush();
  semihost_exit(3);
}

#ifdef WERUN_FW_DEFINE_PANIC_SYMBOL
/* Only for builds where the link-time panic proof is not enforced. */
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

/* ---------------------------------------------------------------- key material */

/* The AES S-box, from the multiplicative inverse in GF(2^8) and the affine map. */
static uint8_t sbox[256];

static uint8_t xtime(uint8_t a) { return (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1B : 0)); }

static uint8_t rotl8(uint8_t x, int n) { return (uint8_t)((x << n) | (x >> (8 - n))); }

static void make_sbox(void) {
  uint8_t p = 1, q = 1;
  do {
    p = p ^ xtime(p); /* p * 3 */
    q ^= (uint8_t)(q << 1);
    q ^= (uint8_t)(q << 2);
    q ^= (uint8_t)(q << 4);
    if (q & 0x80) q ^= 0x09; /* q / 3 */
    sbox[p] = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63;
  } while (p != 1);
  sbox[0] = 0x63;
}

/* FIPS-197 §5.2: the 11 round keys of AES-128. */
static void round_keys(const uint8_t key[16], uint8_t rk[11][16]) {
  uint8_t w[44][4];
  memcpy(w, key, 16);
  uint8_t rcon = 1;
  for (int i = 4; i < 44; i++) {
    uint8_t t[4];
    memcpy(t, w[i - 1], 4);
    if (i % 4 == 0) {
      uint8_t t0 = t[0];
      t[0] = sbox[t[1]] ^ rcon;
      t[1] = sbox[t[2]];
      t[2] = sbox[t[3]];
      t[3] = sbox[t0];
      rcon = xtime(rcon);
    }
    for (int j = 0; j < 4; j++) w[i][j] = w[i - 4][j] ^ t[j];
  }
  memcpy(rk, w, sizeof w);
}

static uint8_t gmul(uint8_t a, uint8_t b) {
  uint8_t p = 0;
  while (b) {
    if (b & 1) p ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return p;
}

/* InvMixColumns of a round key: the decryption schedule of the equivalent inverse cipher. */
static void inv_mix_columns(const uint8_t k[16], uint8_t out[16]) {
  for (int c = 0; c < 4; c++) {
    const uint8_t *a = k + 4 * c;
    for (int r = 0; r < 4; r++)
      out[4 * c + r] = gmul(a[r], 14) ^ gmul(a[(r + 1) % 4], 11) ^ gmul(a[(r + 2) % 4], 13) ^
                       gmul(a[(r + 3) % 4], 9);
  }
}

static int check_key_expansion(void) {
  static const uint8_t key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                  0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
  static const uint8_t last[16] = {0xd0, 0x14, 0xf9, 0xa8, 0xc9, 0xee, 0x25, 0x89,
                                   0xe1, 0x3f, 0x0c, 0xc8, 0xb6, 0x63, 0x0c, 0xa6};
  static const uint8_t col[4] = {0x8e, 0x4d, 0xa1, 0xbc}, want[4] = {0xdb, 0x13, 0x53, 0x45};
  uint8_t rk[11][16], in[16] = {0}, out[16];
  round_keys(key, rk);
  memcpy(in, col, 4);
  inv_mix_columns(in, out);
  return memcmp(rk[10], last, 16) == 0 && memcmp(out, want, 4) == 0;
}

static int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-' || c == ' ') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

/* The 16 bytes of a session_key text in any form the vectors use (the repairs of werun's
 * repair mode, percent escapes); 0 when it is not base64 of 16 bytes. */
static int decode_key(const char *text, uint8_t key[16]) {
  uint32_t acc = 0;
  int bits = 0, n = 0;
  for (const char *s = text; *s; s++) {
    char c = *s;
    if (c == '%' && s[1] && s[2]) {
      char hi = s[1], lo = (char)(s[2] & ~0x20);
      c = hi == '2' && lo == 'B' ? '+' : hi == '2' && lo == 'F' ? '/' : hi == '3' && lo == 'D' ? '=' : 0;
      s += 2;
    }
    if (c == '=') break;
    if (c == '\r' || c == '\n' || c == '\t') continue;
    int v = sextet(c);
    if (v < 0) return 0;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      if (n == 16) return 0;
      bits -= 8;
      key[n++] = (uint8_t)(acc >> bits);
    }
  }
  return n == 16;
}

static int all_same(const uint8_t *b, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (b[i] != b[0]) return 0;
  return 1;
}

#define MAX_SECRETS 160
static uint8_t secrets[MAX_SECRETS][16];
static const char *secret_kind[MAX_SECRETS];
static size_t secret_count;
static unsigned secret_calls; /* calls whose stack was searched */

static void add_secret(const uint8_t bytes[16], const char *kind) {
  /* All-equal windows are left out: wiped memory is all zeros, and so is a key like
   * "AAAAAAAAAAAAAAAAAAAAAA==". */
  if (secret_count == MAX_SECRETS || all_same(bytes, 16)) return;
  memcpy(secrets[secret_count], bytes, 16);
  secret_kind[secret_count++] = kind;
}

/* Adds what a call with `key_text` as its session_key may leave behind. */
static void add_key_material(const char *key_text) {
  uint8_t key[16], rk[11][16], dk[16];
  if (!decode_key(key_text, key)) return;
  add_secret(key, "the session key");
  for (size_t i = 0; i + 16 <= strlen(key_text); i++)
    add_secret((const uint8_t *)key_text + i, "16 characters of the key's base64 text");
  round_keys(key, rk);
  for (int r = 1; r <= 10; r++) add_secret(rk[r], "an AES round key");
  for (int r = 1; r <= 9; r++) {
    inv_mix_columns(rk[r], dk);
    add_secret(dk, "a decryption round key (InvMixColumns)");
  }
}

static uintptr_t found_at;

/* The key material found in [lo, hi), or NULL; its address in found_at. (No calls: its frame
 * must stay small.) */
static const char *__attribute__((noinline)) find_secret(const uint8_t *lo, const uint8_t *hi) {
  for (const uint8_t *p = lo; p + 16 <= hi; p++)
    for (size_t s = 0; s < secret_count; s++) {
      size_t i = 0;
      while (i < 16 && p[i] == secrets[s][i]) i++;
      if (i == 16) {
        found_at = (uintptr_t)p;
        return secret_kind[s];
      }
    }
  return NULL;
}

/* ---------------------------------------------------------------- the calls, probed */

enum api {
  API_DECRYPT_STEPS,
  API_DECRYPT_STEPS_IN_PLACE,
  API_OPEN_DATA,
  API_OPEN_DATA_IN_PLACE,
  API_DIAGNOSE,
  API_WITH_KEYS,
  API_COUNT
};

static const char *const api_names[API_COUNT] = {
    "werun_decrypt_steps", "werun_decrypt_steps_in_place", "werun_open_data",
    "werun_open_data_in_place", "werun_diagnose", "werun_decrypt_steps_with_keys"};

#define MAX_STEPS 64
#define BUFFER_LEN 4096
#define GUARD 0xA5u

/* Arguments and results of the call under test (globals, so the stack holds only werun). */
static struct {
  const uint8_t *key, *iv, *data;
  size_t key_len, iv_len, data_len, scratch_len, capacity;
  uint32_t diagnose_flags;
  werun_options options;
  werun_bytes keys[WERUN_MAX_CANDIDATE_KEYS];
  size_t key_count, key_index;
  uint32_t status;
  werun_summary summary;
  werun_open_data_result open;
  uint32_t diagnosis;
} call;

static uint8_t scratch[2 * BUFFER_LEN + 16];
static uint8_t copy[BUFFER_LEN + 16];
static werun_step steps[MAX_STEPS];

/* The stack pointer at the call instruction, read after the caller's prologue (the outgoing
 * arguments area is part of the caller's frame, so it is not counted). */
static volatile uintptr_t sp_at_call;

/* The prologue of every probed call: a gap above the call (where the stack search's own frame
 * goes afterwards, so that it overwrites nothing the call left), then the stack pointer. */
#define GAP 256
#define ENTER()                                                                \
  uint8_t gap[GAP];                                                            \
  __asm__ volatile("" : : "r"(gap) : "memory");                                \
  uintptr_t sp;                                                                \
  READ_SP(sp);                                                                 \
  sp_at_call = sp

static void __attribute__((noinline)) call_decrypt_steps(void) {
  ENTER();
  call.status = werun_decrypt_steps(call.key, call.key_len, call.iv, call.iv_len, call.data,
                                    call.data_len, &call.options, scratch, call.scratch_len, steps,
                                    call.capacity, &call.summary);
}

/* Fails at once (no options): the depth it writes to is the stack scrub's own. */
static void __attribute__((noinline)) calibrate_decrypt_steps(void) {
  ENTER();
  call.status =
      werun_decrypt_steps(NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0, NULL, 0, &call.summary);
}

#ifndef WERUN_FW_DECRYPT_ONLY
static void __attribute__((noinline)) call_decrypt_steps_in_place(void) {
  ENTER();
  call.status = werun_decrypt_steps_in_place(call.key, call.key_len, call.iv, call.iv_len, copy,
                                             call.data_len, &call.options, steps, call.capacity,
                                             &call.summary);
}

static void __attribute__((noinline)) calibrate_decrypt_steps_in_place(void) {
  ENTER();
  call.status =
      werun_decrypt_steps_in_place(NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0, &call.summary);
}

static void __attribute__((noinline)) call_open_data(void) {
  ENTER();
  call.status = werun_open_data(call.key, call.key_len, call.iv, call.iv_len, call.data,
                                call.data_len, &call.options, scratch, call.scratch_len, &call.open);
}

static void __attribute__((noinline)) calibrate_open_data(void) {
  ENTER();
  call.status = werun_open_data(NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0, &call.open);
}

static void __attribute__((noinline)) call_open_data_in_place(void) {
  ENTER();
  call.status = werun_open_data_in_place(call.key, call.key_len, call.iv, call.iv_len, copy,
                                         call.data_len, &call.options, &call.open);
}

static void __attribute__((noinline)) calibrate_open_data_in_place(void) {
  ENTER();
  call.status = werun_open_data_in_place(NULL, 0, NULL, 0, NULL, 0, NULL, &call.open);
}

static void __attribute__((noinline)) call_diagnose(void) {
  ENTER();
  call.status = werun_diagnose(call.key, call.key_len, call.iv, call.iv_len, call.data,
                               call.data_len, call.diagnose_flags, scratch, call.scratch_len,
                               &call.diagnosis);
}

static void __attribute__((noinline)) calibrate_diagnose(void) {
  ENTER();
  call.status = werun_diagnose(NULL, 0, NULL, 0, NULL, 0, 0, NULL, 0, NULL);
}

static void __attribute__((noinline)) call_with_keys(void) {
  ENTER();
  call.status = werun_decrypt_steps_with_keys(
      call.keys, call.key_count, call.iv, call.iv_len, call.data, call.data_len, &call.options,
      scratch, call.scratch_len, steps, call.capacity, &call.summary, &call.key_index);
}

static void __attribute__((noinline)) calibrate_with_keys(void) {
  ENTER();
  call.status = werun_decrypt_steps_with_keys(NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0, NULL, 0,
                                              &call.summary, &call.key_index);
}
#endif

/* The baseline of the instruction counts: the same call sequence around no work. */
static uint32_t __attribute__((noinline)) nothing(void) {
  __asm__ volatile("" ::: "memory");
  return WERUN_ABI_VERSION;
}

static void __attribute__((noinline)) call_nothing(void) {
  ENTER();
  call.status = nothing();
}

#ifdef WERUN_FW_DECRYPT_ONLY
static void (*const api_calls[API_COUNT])(void) = {call_decrypt_steps};
static void (*const api_calibrations[API_COUNT])(void) = {calibrate_decrypt_steps};
#else
static void (*const api_calls[API_COUNT])(void) = {
    call_decrypt_steps, call_decrypt_steps_in_place, call_open_data, call_open_data_in_place,
    call_diagnose,      call_with_keys};
static void (*const api_calibrations[API_COUNT])(void) = {
    calibrate_decrypt_steps, calibrate_decrypt_steps_in_place, calibrate_open_data,
    calibrate_open_data_in_place, calibrate_diagnose, calibrate_with_keys};
#endif

#define PAINT 0x5AC3E1F7u

static uint32_t stack_max[API_COUNT];
static const char *stack_max_id[API_COUNT];
static uint32_t stack_sample[API_COUNT];
static uint32_t scrub_depth[API_COUNT]; /* the calibration call's depth: the scrub's reach */

/* Runs `fn` on a painted stack; returns the bytes of stack it used below the call, after
 * searching them for key material and checking that they lie within the scrub's reach. */
static uint32_t __attribute__((noinline)) stack_probe(enum api api, void (*fn)(void), const char *id) {
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
  uint32_t used = (uint32_t)(sp_at_call - (uintptr_t)p);
  if (id) {
    secret_calls++;
    const char *found = find_secret((const uint8_t *)p, (const uint8_t *)sp_at_call);
    CHECK(found == NULL, id, found ? found : "");
    if (found) {
      say("   ^ found on the stack after ");
      say(api_names[api]);
      say(", ");
      say_u(sp_at_call - found_at);
      say(" B below the call");
      flush();
    }
    if (used > scrub_depth[api]) {
      failures++;
      say("FAIL ");
      say(id);
      say(" ");
      say(api_names[api]);
      say(": wrote ");
      say_u(used);
      say(" B deep, below its stack scrub (");
      say_u(scrub_depth[api]);
      say(" B)");
      flush();
    }
  }
  return used;
}

static void record_stack(enum api api, uint32_t used, const char *id, int is_sample) {
  if (used > stack_max[api]) {
    stack_max[api] = used;
    stack_max_id[api] = id;
  }
  if (is_sample) stack_sample[api] = used;
}

/* ---------------------------------------------------------------- one vector */

#ifdef WERUN_FW_DECRYPT_ONLY
/* werun_scratch_len's formula, so that this image calls nothing but werun_decrypt_steps. */
#define SCRATCH_LEN(n) ((n) / 4 * 3 + (n) % 4 * 3 / 4)
#else
#define SCRATCH_LEN(n) werun_scratch_len(n)
#endif

static void prepare(const werun_vector *v) {
  memset(&call, 0, sizeof call);
  call.key = (const uint8_t *)v->session_key;
  call.key_len = strlen(v->session_key);
  call.iv = (const uint8_t *)v->iv;
  call.iv_len = strlen(v->iv);
  call.data = (const uint8_t *)v->encrypted_data;
  call.data_len = strlen(v->encrypted_data);
  call.scratch_len = v->scratch_len < 0 ? SCRATCH_LEN(call.data_len) : (size_t)v->scratch_len;
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
  secret_count = 0;
  add_key_material(v->session_key);
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

#ifndef WERUN_FW_DECRYPT_ONLY
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
#endif

static void run_vector(const werun_vector *v, int is_sample) {
#ifdef WERUN_FW_DECRYPT_ONLY
  if (v->open_data) return; /* open data: werun_open_data's vectors, not in this image */
  enum api first = API_DECRYPT_STEPS, last = API_DECRYPT_STEPS;
#else
  enum api first = v->open_data ? API_OPEN_DATA : API_DECRYPT_STEPS, last = first + 1;
#endif
  for (enum api api = first; api <= last; api++) {
    prepare(v);
    if (call.data_len > BUFFER_LEN || call.scratch_len > BUFFER_LEN) {
      CHECK(0, v->id, "vector larger than the firmware's buffers");
      return;
    }
    record_stack(api, stack_probe(api, api_calls[api], v->id), v->id, is_sample);
#ifndef WERUN_FW_DECRYPT_ONLY
    if (v->open_data)
      check_open_call(v, api);
    else
#endif
      check_steps_call(v, api);
  }
#ifndef WERUN_FW_DECRYPT_ONLY
  prepare(v);
  record_stack(API_DIAGNOSE, stack_probe(API_DIAGNOSE, call_diagnose, v->id), v->id, is_sample);
  check_diagnose_call(v);
#endif
}

#ifndef WERUN_FW_DECRYPT_ONLY
/* The candidate-key vectors: the bundled sample (the first vector) with these keys. */
static void run_keys_vector(const werun_keys_vector *kv) {
  const werun_vector *sample = &werun_vectors[0];
  prepare(sample);
  secret_count = 0;
  call.key_count = kv->key_count;
  for (size_t i = 0; i < kv->key_count; i++) {
    call.keys[i].ptr = (const uint8_t *)kv->session_keys[i];
    call.keys[i].len = strlen(kv->session_keys[i]);
    add_key_material(kv->session_keys[i]);
  }
  call.options.appid = (const uint8_t *)kv->appid;
  call.options.appid_len = strlen(kv->appid);
  call.scratch_len = werun_scratch_len_with_keys(call.data_len);
  call.key_index = 0xA5A5A5A5u;
  if (call.scratch_len > sizeof scratch - 16) {
    CHECK(0, kv->id, "vector larger than the firmware's buffers");
    return;
  }
  memset(scratch, 0, sizeof scratch);
  memset(scratch + call.scratch_len, GUARD, sizeof scratch - call.scratch_len);
  record_stack(API_WITH_KEYS, stack_probe(API_WITH_KEYS, call_with_keys, kv->id), kv->id,
               kv == &werun_keys_vectors[0]);
  const char *id = kv->id;
  CHECK(call.status == kv->status, id, "werun_decrypt_steps_with_keys status");
  CHECK(all_bytes(scratch, call.scratch_len, 0), id, "scratch not wiped");
  CHECK(all_bytes(scratch + call.scratch_len, sizeof scratch - call.scratch_len, GUARD), id,
        "wrote past scratch_len");
  if (call.status == WERUN_STATUS_OK) {
    CHECK(kv->key_index >= 0 && call.key_index == (size_t)kv->key_index, id, "key index");
    CHECK(call.summary.count == sample->step_count, id, "step count");
    for (size_t i = 0; i < sample->step_count && i < call.summary.count; i++)
      CHECK(steps[i].timestamp == sample->steps[i].timestamp &&
                steps[i].step == sample->steps[i].step,
            id, "step differs");
  } else {
    CHECK(call.key_index == 0xA5A5A5A5u, id, "key index written on failure");
    int zeroed = 1;
    for (size_t i = 0; i < call.capacity; i++)
      zeroed &= steps[i].timestamp == 0 && steps[i].step == 0;
    CHECK(zeroed, id, "steps not zeroed on failure");
  }
}
#endif

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
#ifndef WERUN_FW_DECRYPT_ONLY
  for (uint32_t s = 0; s <= 12; s++)
    CHECK(strlen(werun_status_str(s)) > 5 && strcmp(werun_status_str(s), werun_status_str(999)) != 0,
          "abi", "status message");
  CHECK(strcmp(werun_status_str(13), "unknown werun status") == 0, "abi", "unknown status");
  CHECK(strcmp(werun_diagnosis_str(999), "unknown werun diagnosis") == 0, "abi",
        "unknown diagnosis");
  CHECK(werun_status_wx_code(WERUN_STATUS_OK) == 0 && werun_status_wx_code(WERUN_STATUS_IV_INVALID) < 0,
        "abi", "wx code");
  CHECK(werun_abi_version() == WERUN_ABI_VERSION, "abi", "ABI version");
  CHECK(strlen(werun_version()) >= 5, "abi", "version string");
#endif
}

/* ---------------------------------------------------------------- instruction counts */

#define CALIBRATION_LOOPS 1000000u /* 2 instructions each */
#define REPEATS 16u

static uint32_t ticks_of(void (*fn)(void), uint32_t repeats, int refresh_copy) {
  uint32_t start = clock_read();
  for (uint32_t i = 0; i < repeats; i++) {
    if (refresh_copy) memcpy(copy, call.data, call.data_len);
    fn();
  }
  return clock_elapsed(start, clock_read());
}

static uint32_t calibration_ticks;
/* Instructions per tick, from the calibration loop (2 instructions per iteration), rounded:
 * 40 for SysTick on mps2-an386 (25 MHz against 1 GHz of virtual time), 1 for minstret. */
static uint32_t instructions(uint32_t ticks) {
  return ticks * ((2u * CALIBRATION_LOOPS + calibration_ticks / 2) / calibration_ticks);
}

static void measure(const char *what, void (*fn)(void), int refresh_copy) {
  prepare(&werun_vectors[0]);
  uint32_t t = ticks_of(fn, REPEATS, refresh_copy);
  uint32_t base = ticks_of(call_nothing, REPEATS, refresh_copy);
  CHECK(call.status == WERUN_ABI_VERSION, "timing", "baseline call");
  uint32_t per_call = (instructions(t) - instructions(base) + REPEATS / 2) / REPEATS;
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
  clock_start();
  uint32_t start = clock_read();
  spin(CALIBRATION_LOOPS);
  calibration_ticks = clock_elapsed(start, clock_read());
  if (calibration_ticks == 0) {
    CHECK(0, "timing", "the clock does not count");
    return;
  }
  say("timing: ");
  say_u(calibration_ticks);
  say(" ticks for ");
  say_u(2u * CALIBRATION_LOOPS);
  say(" instructions (exact only under qemu -icount shift=0)");
  flush();
  measure("werun_decrypt_steps", call_decrypt_steps, 0);
#ifndef WERUN_FW_DECRYPT_ONLY
  measure("werun_decrypt_steps_in_place", call_decrypt_steps_in_place, 1);
  measure("werun_diagnose", call_diagnose, 0);
#endif
}

/* ---------------------------------------------------------------- main */

int main(void) {
  say("werun-fw: " TARGET ", opt-level " WERUN_FW_PROFILE ", " IMAGE " image, werun ");
#ifdef WERUN_FW_DECRYPT_ONLY
  say("(version string not linked)");
#else
  say(werun_version());
#endif
  say(", ");
  say_u(WERUN_VECTOR_COUNT);
  say(" vectors");
  flush();
  make_sbox();
  CHECK(check_key_expansion(), "setup", "the reference AES key expansion (FIPS-197)");
  /* The scrub's reach per entry point: a call that fails at once. */
  for (enum api api = 0; api < API_COUNT; api++)
    if (api_calibrations[api]) {
      scrub_depth[api] = stack_probe(api, api_calibrations[api], NULL);
      CHECK(call.status != WERUN_STATUS_OK, "calibration", api_names[api]);
    }
  for (size_t i = 0; i < WERUN_VECTOR_COUNT; i++) {
    const werun_vector *v = &werun_vectors[i];
    run_vector(v, i == 0 || strcmp(v->id, "open-data-werun") == 0);
  }
#ifndef WERUN_FW_DECRYPT_ONLY
  for (size_t i = 0; i < WERUN_KEYS_VECTOR_COUNT; i++) run_keys_vector(&werun_keys_vectors[i]);
#endif
  check_abi();
  say("secrets: ");
  say_u(secret_calls);
  say(" calls searched for key material on the stack");
  flush();
  CHECK(secret_calls > 50, "secrets", "too few calls searched");
  for (enum api api = 0; api < API_COUNT; api++) {
    if (!api_calls[api]) continue;
    say("stack ");
    say(api_names[api]);
    say(": max ");
    say_u(stack_max[api]);
    say(" B (");
    say(stack_max_id[api] ? stack_max_id[api] : "-");
    say("), sample ");
    say_u(stack_sample[api]);
    say(" B, scrub reach ");
    say_u(scrub_depth[api]);
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
