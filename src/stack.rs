//! Scrubbing the stack that a call used, so that no key schedule, key or plaintext fragment
//! outlives the call there.
//!
//! Wiping our own buffers is not enough: the AES key schedule is built inside the `aes` crate
//! and moved on the way (the `zeroize` feature wipes only its final copy), and the parser and
//! cipher keep temporaries in their frames. So every entry point runs its work in a frame of
//! its own ([`scrubbed`]) and then overwrites that much stack below the caller with zeros.

/// Bytes of stack overwritten after a decryption (every entry point but key decoding): twice
/// what the secrets need on x86-64 (`tests/secrets.rs` still passes at 1 KiB there, and fails
/// when this is too small) and more than the deepest call uses on Cortex-M4 (about 1.7 KiB).
/// Unoptimised (debug) builds use far more stack.
pub(crate) const DECRYPTION: usize = if cfg!(debug_assertions) {
    64 * 1024
} else {
    2048
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
