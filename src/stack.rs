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
/// * hosted targets: the deepest call writes 3,624 bytes below the scrub's start (the C ABI,
///   whose boundary scrubs once for the whole call, with the VAES-256 or AES-NI backend and the
///   `std` build; 3,272 through the Rust API; 3,440 and 3,120 with VAES-512, 3,472 and 3,120
///   with the software backend), so 6 KiB leaves a margin of 1.7x. The decryption frame alone
///   is 3.2 KiB, because every backend the `aes` crate may pick at run time is inlined into it.
///   The first version scrubbed 2 KiB, measured on a VAES-512 machine only, and left the key
///   and the AES-NI round keys at about 4.4 KiB depth on CPUs without VAES.
/// * bare metal (`target_os = "none"`): the deepest call uses about 1.7 KiB on Cortex-M4.
///
/// Unoptimised (debug) builds use far more stack.
pub(crate) const DECRYPTION: usize = if cfg!(debug_assertions) {
    64 * 1024
} else if cfg!(target_os = "none") {
    2048
} else {
    6 * 1024
};

/// Bytes of stack overwritten after decoding a `session_key` (`decode_block16` and `base64ct`
/// use a few hundred bytes).
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
