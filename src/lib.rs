#![no_std]
#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations)]
#![deny(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::unimplemented,
    clippy::todo,
    clippy::undocumented_unsafe_blocks
)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing))]

#[cfg(feature = "std")]
extern crate std;

mod base64;
mod cipher;
mod diagnose;
mod error;
#[allow(unsafe_code)]
pub mod ffi;
mod json;
mod key;
mod options;
mod payload;
mod stack;
mod werun;

pub use crate::base64::Base64Mode;
pub use crate::diagnose::{diagnose, Diagnosis};
pub use crate::error::{
    Error, WX_DECODE_BASE64_ERROR, WX_ILLEGAL_AES_KEY, WX_ILLEGAL_BUFFER, WX_ILLEGAL_IV,
};
pub use crate::key::{Iv, SessionKey};
pub use crate::options::{Freshness, Options};
pub use crate::werun::{
    decrypt_steps, decrypt_steps_in_place, decrypt_steps_with_keys, open_data, open_data_in_place,
    scratch_len, scratch_len_with_keys, OpenData, StepInfo, Steps, Watermark, WeRunData,
    DEFAULT_CAPACITY, MAX_CANDIDATE_KEYS,
};

/// Internals exposed for the fuzz targets and benchmarks of this repository only: not part of
/// the API, no stability promise.
#[doc(hidden)]
pub mod __internals {
    use crate::{Base64Mode, StepInfo};

    /// Decodes public base64 into `out`: `Ok(len)`, `Err(None)` when invalid, `Err(Some(len))`
    /// when valid but longer than `out`.
    pub fn decode_base64(
        input: &[u8],
        out: &mut [u8],
        mode: Base64Mode,
    ) -> Result<usize, Option<usize>> {
        crate::base64::decode_public(input, out, mode).map_err(map_decode_error)
    }

    /// [`decode_base64`] in place.
    pub fn decode_base64_in_place(
        buf: &mut [u8],
        mode: Base64Mode,
    ) -> Result<usize, Option<usize>> {
        crate::base64::decode_in_place(buf, mode).map_err(map_decode_error)
    }

    fn map_decode_error(e: crate::base64::DecodeError) -> Option<usize> {
        match e {
            crate::base64::DecodeError::Invalid => None,
            crate::base64::DecodeError::TooLong(n) => Some(n),
        }
    }

    /// The constant-time decoder of 16-byte keys and IVs.
    pub fn decode_block16(input: &[u8], mode: Base64Mode) -> Option<[u8; 16]> {
        crate::base64::decode_block16(input, mode)
    }

    /// AES-128-CBC decryption of whole blocks in place, then strict PKCS#7: the unpadded
    /// length (`None` when the padding is wrong).
    pub fn decrypt(key: &[u8; 16], iv: &[u8; 16], blocks: &mut [u8]) -> Option<usize> {
        let key = crate::SessionKey::from_bytes(*key);
        let iv = crate::Iv::from_bytes(*iv);
        crate::werun::decrypt(&key, &iv, blocks)
    }

    /// Strict PKCS#7: the unpadded length.
    pub fn unpadded_len(plaintext: &[u8]) -> Option<usize> {
        crate::cipher::unpadded_len(plaintext)
    }

    /// Parses a WeRun plaintext: entry count, and the watermark's timestamp with whether its
    /// appid equals `appid`. `None` when it is not WeRun JSON.
    pub fn parse_werun(
        plaintext: &[u8],
        out: &mut [StepInfo],
        appid: &[u8],
    ) -> Option<(usize, Option<(i64, bool)>)> {
        let (count, watermark) = crate::payload::parse_werun(plaintext, out).ok()?;
        Some((
            count,
            watermark.map(|w| (w.timestamp, w.appid.equals(appid))),
        ))
    }

    /// Whether `plaintext` is one valid JSON value (RFC 8259), as the reader used by werun sees it.
    pub fn is_json(plaintext: &[u8]) -> bool {
        let mut parser = crate::json::Parser::new(plaintext);
        parser.skip_value().and_then(|()| parser.end()).is_ok()
    }
}
