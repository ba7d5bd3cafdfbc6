//! AES-128-CBC decryption in place, strict PKCS#7 in constant time, and wiping.

#[cfg(not(target_os = "none"))]
use aes::cipher::{
    consts::U16, inout::InOut, Block, BlockCipherDecBackend, BlockCipherDecClosure,
    BlockCipherDecrypt, BlockSizeUser, KeyInit,
};
#[cfg(not(target_os = "none"))]
use aes::Aes128Dec;

use crate::key::{Iv, SessionKey};

/// werun's AES-128 decryption for bare metal (tested on the host against the `aes` crate).
#[cfg(any(target_os = "none", test))]
mod fixslice;

/// AES block size in bytes.
pub(crate) const BLOCK: usize = 16;

/// Decrypts `buf` (whole blocks, checked by the caller) in place with AES-128-CBC.
///
/// The key schedule is the decryption round keys only (`Aes128Dec`: half the state of `Aes128`
/// and 18 ns less per 7-entry payload), wiped when the cipher is dropped. The blocks go through
/// the backend the `aes` crate picked, one at a time ([`Cbc`]).
#[cfg(not(target_os = "none"))]
pub(crate) fn decrypt_blocks(key: &SessionKey, iv: &Iv, buf: &mut [u8]) {
    let cipher = Aes128Dec::new(key.as_array().into());
    cipher.decrypt_with_backend(Cbc { iv, buf });
}

/// CBC decryption in place through whichever backend the `aes` crate picked at run time.
///
/// Plaintext block i is `D(C[i]) ^ C[i - 1]`: each block's ciphertext is kept (16 bytes) for the
/// next one before it is decrypted in place, and the blocks do not depend on each other, so the
/// CPU overlaps their AES rounds as it would a batch. Blocks go through `decrypt_block` one at a
/// time rather than the backends' batches, whose width (8 blocks with AES-NI, 30 with VAES-256,
/// 64 with VAES-512) is most or all of a WeRun payload, leaving the rest to single blocks
/// anyway. On an Intel Xeon model 207 (VAES-512) this took the 7-entry job's AES stage from 111
/// to 92 ns, and the 31-entry one from 174 to 187 ns (criterion `aes_cbc_unpad`), and it dropped
/// the 1 KiB copy of the ciphertext and the 64-block batch from the stack frame (3,080 to 600
/// bytes), so the stack scrub after each call is 4 KiB shorter (`stack::DECRYPTION`): a net
/// gain on both payload sizes (docs/performance.md).
#[cfg(not(target_os = "none"))]
struct Cbc<'a> {
    iv: &'a Iv,
    buf: &'a mut [u8],
}

#[cfg(not(target_os = "none"))]
impl BlockSizeUser for Cbc<'_> {
    type BlockSize = U16;
}

#[cfg(not(target_os = "none"))]
impl BlockCipherDecClosure for Cbc<'_> {
    #[inline(always)]
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        let (blocks, _partial) = self.buf.as_chunks_mut::<BLOCK>();
        let mut previous = *self.iv.as_array();
        for block in blocks {
            let ciphertext = *block;
            backend.decrypt_block(InOut::from(<&mut Block<B>>::from(&mut *block)));
            // (XORed on a copy: in place, byte by byte, the compiler moved each byte out of a
            // vector register on its own.)
            let mut plain = *block;
            for (p, x) in plain.iter_mut().zip(previous) {
                *p ^= x;
            }
            *block = plain;
            previous = ciphertext;
        }
    }
}

/// Bare metal ([`crate::SIZE_FIRST`]): the same CBC decryption one block at a time through
/// werun's own compact AES-128 decryption ([`decrypt_blocks_compact`]).
#[cfg(target_os = "none")]
#[inline(never)]
pub(crate) fn decrypt_blocks(key: &SessionKey, iv: &Iv, buf: &mut [u8]) {
    decrypt_blocks_compact(key, iv, buf);
}

/// CBC decryption of `buf`'s whole blocks in place, one block at a time from the last to the
/// first (so that no ciphertext is copied to the stack), with [`fixslice`]: the `aes` crate's
/// compact fixsliced AES with 16-bit words, rewritten on fixed-size arrays. Compared with the
/// `aes` crate on bare metal: no bounds check left at `opt-level = "z"` (the link-time panic
/// proof holds at `s` and `z`), and the 176-byte key schedule is written in place into this
/// frame instead of being built in a temporary and copied (`tests/firmware/run.sh`). The
/// schedule is wiped before return; the caller's stack scrub covers the rest. (Compiled on the
/// host for its tests.)
#[cfg(any(target_os = "none", test))]
#[inline(always)]
fn decrypt_blocks_compact(key: &SessionKey, iv: &Iv, buf: &mut [u8]) {
    // Filled in place (see `fixslice::KeySchedule`) and wiped below.
    let mut schedule = [[0u16; 8]; 11];
    fixslice::expand(&mut schedule, key.as_array());
    // From the last block to the first: plaintext block i is D(C[i]) ^ C[i - 1], and C[i - 1]
    // is still in the buffer then, so no ciphertext is copied (C[-1] is the iv).
    let whole = buf.len() - buf.len() % BLOCK;
    let mut rest = buf.get_mut(..whole).unwrap_or_default();
    while let Some((head, block)) = rest.split_last_chunk_mut::<BLOCK>() {
        fixslice::decrypt_block(&schedule, block);
        // (The previous block through `get`: `last_chunk` kept a length check at `z`.)
        let chain = match head
            .len()
            .checked_sub(BLOCK)
            .and_then(|start| head.get(start..))
        {
            Some(previous) => previous,
            None => iv.as_array(),
        };
        for (p, x) in block.iter_mut().zip(chain) {
            *p ^= x;
        }
        rest = head;
    }
    fixslice::wipe(&mut schedule);
}

/// Checks strict PKCS#7 padding (1..=16 bytes, all equal to the count) and returns the length of
/// the message before it. The check reads the whole last block and never exits early on a pad
/// byte, so its timing does not depend on where the padding goes wrong.
pub(crate) fn unpadded_len(plaintext: &[u8]) -> Option<usize> {
    let (len, valid) = padding_verdict(plaintext);
    valid.then_some(len)
}

/// Strict PKCS#7 as a verdict that nothing has acted on yet: the length of the message before
/// the padding when it is valid (1..=16 bytes, all equal to the count), the whole length when
/// not, and whether it is valid. Computed without a branch on the plaintext, so that a caller
/// can go on to parse in both cases and act on the verdict last (see `werun::decrypt_verdict`).
pub(crate) fn padding_verdict(plaintext: &[u8]) -> (usize, bool) {
    let len = plaintext.len();
    let Some(last_block) = len
        .checked_sub(BLOCK)
        .and_then(|start| plaintext.get(start..))
        .and_then(|b| <&[u8; BLOCK]>::try_from(b).ok())
    else {
        return (len, false); // shorter than a block: the length is public
    };
    let pad = last_block[BLOCK - 1];
    // bad != 0 when pad is 0 or above 16 ...
    let mut bad = u32::from(ct_lt(16, pad)) | u32::from(ct_is_zero(pad));
    // ... or when any of the last `pad` bytes differs from `pad`.
    for (i, &b) in last_block.iter().rev().enumerate() {
        let in_pad = ct_lt(i as u8, pad); // 0xFF for the last `pad` bytes
        bad |= u32::from(in_pad & (b ^ pad));
    }
    let bad = core::hint::black_box(bad);
    // All ones when valid, else zero: `bad - 1` borrows into the top bit exactly when bad == 0
    // (bad < 2^8 here).
    let valid_mask = 0usize.wrapping_sub(((bad as usize).wrapping_sub(1)) >> (usize::BITS - 1));
    let strip = usize::from(pad) & valid_mask;
    // (strip <= 16 <= len: a valid padding is at most a block, and the text is at least one.)
    (len.saturating_sub(strip), valid_mask != 0)
}

/// `0xFF` when `a < b`, else `0`, without a data-dependent branch.
fn ct_lt(a: u8, b: u8) -> u8 {
    let d = u16::from(a).wrapping_sub(u16::from(b));
    (d >> 8) as u8
}

/// `0xFF` when `a == 0`, else `0`, without a data-dependent branch.
fn ct_is_zero(a: u8) -> u8 {
    (u16::from(a).wrapping_sub(1) >> 8) as u8
}

/// Overwrites `buf` with zeros in a way the optimiser keeps even when the buffer is not read
/// again.
pub(crate) fn wipe(buf: &mut [u8]) {
    buf.fill(0);
    core::hint::black_box(&mut *buf);
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::InOutBuf;

    fn block_with_padding(pad: u8, fill: u8) -> [u8; 32] {
        let mut b = [b'x'; 32];
        let n = usize::from(pad.min(16));
        for byte in &mut b[32 - n..] {
            *byte = fill;
        }
        b[31] = pad;
        b
    }

    /// The chunked decryption equals the `cbc` crate's, on every length across chunk edges.
    #[test]
    fn decrypt_blocks_matches_cbc() {
        use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
        let key: [u8; 16] = core::array::from_fn(|i| (i * 17 + 3) as u8);
        let iv: [u8; 16] = core::array::from_fn(|i| (i * 29 + 7) as u8);
        let data: [u8; 16 * 100] = core::array::from_fn(|i| (i * 131 + i / 7) as u8);
        for blocks in 0..=100 {
            let mut ours = data;
            let mut theirs = data;
            let len = blocks * BLOCK;
            decrypt_blocks(
                &SessionKey::from_bytes(key),
                &Iv::from_bytes(iv),
                &mut ours[..len],
            );
            let mut dec = cbc::Decryptor::<aes::Aes128>::new(&key.into(), &iv.into());
            let (b, _) = InOutBuf::from(&mut theirs[..len]).into_chunks();
            dec.decrypt_blocks_inout(b);
            assert_eq!(ours, theirs, "{blocks} blocks");
        }
    }

    /// Bare metal's block-at-a-time decryption (werun's own AES) equals the `cbc` crate's on
    /// every length, and leaves a partial block after the whole ones untouched.
    #[test]
    fn compact_decryption_matches_cbc() {
        use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
        let data: [u8; 16 * 40 + 5] = core::array::from_fn(|i| (i * 131 + i / 7) as u8);
        for round in 0..8u8 {
            let key: [u8; 16] =
                core::array::from_fn(|i| ((i * 17 + 3) as u8) ^ round.wrapping_mul(91));
            let iv: [u8; 16] = core::array::from_fn(|i| ((i * 29 + 7) as u8) ^ round);
            for len in (0..=40).map(|b| b * BLOCK).chain([5, 16 * 3 + 5]) {
                let mut ours = data;
                let mut theirs = data;
                decrypt_blocks_compact(
                    &SessionKey::from_bytes(key),
                    &Iv::from_bytes(iv),
                    &mut ours[..len],
                );
                let whole = len - len % BLOCK;
                let mut dec = cbc::Decryptor::<aes::Aes128>::new(&key.into(), &iv.into());
                let (b, _) = InOutBuf::from(&mut theirs[..whole]).into_chunks();
                dec.decrypt_blocks_inout(b);
                assert_eq!(ours, theirs, "{len} bytes");
            }
        }
    }

    #[test]
    fn accepts_every_valid_padding_length() {
        for pad in 1..=16u8 {
            assert_eq!(
                unpadded_len(&block_with_padding(pad, pad)),
                Some(32 - usize::from(pad))
            );
        }
    }

    #[test]
    fn rejects_zero_and_oversized_padding() {
        for pad in [0u8, 17, 32, 255] {
            assert_eq!(
                unpadded_len(&block_with_padding(pad, pad)),
                None,
                "pad {pad}"
            );
        }
    }

    #[test]
    fn rejects_unequal_padding_bytes() {
        for pad in 2..=16u8 {
            let mut b = block_with_padding(pad, pad);
            b[32 - usize::from(pad)] ^= 1;
            assert_eq!(unpadded_len(&b), None, "pad {pad}");
        }
    }

    #[test]
    fn rejects_input_shorter_than_a_block() {
        assert_eq!(unpadded_len(&[1u8; 15]), None);
        assert_eq!(unpadded_len(&[]), None);
    }

    #[test]
    fn comparisons_match_the_operators() {
        for a in 0..=255u8 {
            assert_eq!(ct_is_zero(a) == 0xFF, a == 0);
            for b in 0..=255u8 {
                assert_eq!(ct_lt(a, b) == 0xFF, a < b);
            }
        }
    }
}
