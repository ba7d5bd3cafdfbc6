//! Scrubbing the stack that a call used, so that no key schedule, key or plaintext fragment
//! outlives the call there.
//!
//! Wiping our own buffers is not enough: the AES key schedule is built inside the `aes` crate
//! and moved on the way (the `zeroize` feature wipes only its final copy), and the parser and
//! cipher keep temporaries in their frames. So every entry point runs its work in a frame of
//! its own ([`scrubbed`]) and then overwrites that much stack below the caller with zeros.

/// Bytes of stack overwritten after a decryption (every entry point but key decoding).
///
/// Sized from measurements of the deepest path on each target, with a margin, and checked by
/// `tests/secrets.rs` on every backend the `aes` crate can pick on x86-64 (VAES-512 natively
/// where the CPU has it, VAES-256, AES-NI and the software backend under QEMU user mode):
/// * hosted targets: every entry point the test checks (`decrypt_steps`, its in-place form,
///   `open_data` and its in-place form, the C ABI's `werun_decrypt_steps` and its candidate-key
///   call) passes with a scrub of 1,152 bytes, and the candidate-key call fails with 1,088, the
///   same with each of the four backends and with and without `std` (found by running
///   `tests/secrets.sh` with smaller scrubs), so 2 KiB leaves a margin of 1.8x. Until the CBC loop went block by block (src/cipher.rs) the decryption frame
///   alone was 3 KiB, because it held a 1 KiB copy of the ciphertext and the `aes` crate's
///   64-block VAES-512 batch, and the scrub was 6 KiB; the first version scrubbed 2 KiB
///   measured on a VAES-512 machine only, which left the key and the AES-NI round keys at about
///   4.4 KiB depth on CPUs without VAES: hence the check on every backend.
/// * bare metal (`target_os = "none"`): measured by `tests/firmware/run.sh` on the device
///   (QEMU), which also searches the stack for key material after every call and fails when a
///   call writes below its scrub. The deepest C entry point there is
///   `werun_decrypt_steps_with_keys`; `werun_decrypt_steps` gets a scrub of its own
///   ([`C_DECRYPT_STEPS`]) so that it stays within 1 KiB in all.
///
/// Unoptimised (debug) builds use far more stack.
pub(crate) const DECRYPTION: usize = if cfg!(debug_assertions) {
    64 * 1024
} else if cfg!(target_os = "none") {
    if cfg!(target_arch = "riscv32") {
        RISCV_DEEPEST
    } else {
        ARM_DEEPEST
    }
} else {
    2 * 1024
};

/// Bytes of stack overwritten after `werun_decrypt_steps` (the C ABI): [`DECRYPTION`] except on
/// bare metal, where it covers that call alone.
pub(crate) const C_DECRYPT_STEPS: usize = if cfg!(debug_assertions) || !cfg!(target_os = "none") {
    DECRYPTION
} else if cfg!(target_arch = "riscv32") {
    RISCV_DECRYPT_STEPS
} else {
    ARM_DECRYPT_STEPS
};

// Bare metal: the deepest write of the C entry points, in bytes below the call, as
// tests/firmware/run.sh measures it on QEMU at opt-level "s" / "z" (scrub made small), with
// werun's own AES on bare metal (src/cipher/fixslice.rs: the key schedule written in place):
// * Cortex-M4 (thumbv7em-none-eabihf): werun_decrypt_steps 836 / 844; the deepest,
//   werun_decrypt_steps_with_keys, 1,076 / 1,016 (werun_decrypt_steps_in_place 964 / 860);
// * RV32IMC (riscv32imc-unknown-none-elf): werun_decrypt_steps 844 / 844 since the oblivious
//   pass (src/oblivious.rs; 728 / 744 before); werun_decrypt_steps_with_keys 1,148 at "s"
//   (984 / 1,004 before).
// Each scrub below reaches at least 64 bytes deeper than that at both opt-levels (the entry
// point's own frame, 100 to 145 bytes, comes on top of the scrubbed bytes): werun_decrypt_steps
// reaches 944 / 928 B on Cortex-M4 and 908 B on RV32IMC, within its 1 KiB budget. run.sh fails
// when a call writes below its scrub or leaves key material on the stack. Other bare-metal
// targets take the Cortex-M4 figures, unmeasured: run tests/firmware/run.sh's checks on yours.
const ARM_DEEPEST: usize = 1008;
const ARM_DECRYPT_STEPS: usize = 800;
const RISCV_DEEPEST: usize = 1072;
const RISCV_DECRYPT_STEPS: usize = 800;

/// Bytes of stack overwritten after decoding a `session_key` (`decode_block16` and its
/// constant-time decoder use a few hundred bytes).
pub(crate) const KEY_DECODING: usize = if cfg!(debug_assertions) {
    16 * 1024
} else {
    512
};

/// Runs `work` in a frame of its own, then zeroes `BYTES` of the stack it could have used.
#[inline(always)]
pub(crate) fn scrubbed<const BYTES: usize, T>(work: impl FnOnce() -> T) -> T {
    let result = outlined(work);
    scrub::<BYTES>();
    result
}

/// Keeps `work` out of the caller's frame, so that its secrets lie below the caller's stack
/// pointer, where [`scrub`] writes.
#[inline(never)]
fn outlined<T>(work: impl FnOnce() -> T) -> T {
    work()
}

/// Zeroes `BYTES` of stack below the caller's frame. The optimiser must keep the writes:
/// `black_box` may read the array.
#[inline(never)]
fn scrub<const BYTES: usize>() {
    let mut area = [0u8; BYTES];
    core::hint::black_box(&mut area);
}
