//! Decrypts the step data a WeChat mini-program gets from `wx.getWeRunData` (微信运动), and any
//! other WeChat "open data" (phone number, user info, share info), without allocating.
//!
//! A mini-program sends `encryptedData` and `iv` to its backend, which holds the user's
//! `session_key` from `code2Session`. werun decodes the three base64 strings (repairing the
//! damage web frameworks do to them), decrypts AES-128-CBC, checks the PKCS#7 padding in constant
//! time, parses the JSON strictly, verifies that `watermark.appid` is your appid (and, if asked,
//! that the watermark is fresh), and writes the `{timestamp, step}` entries into memory you own.
//!
//! ```
//! use werun::{Base64Mode, Iv, Options, SessionKey, Steps};
//!
//! // The three strings exactly as the backend received them (one day of a test vector).
//! let session_key = "8gezx7GzWo8NuM6UcoNuGQ==";
//! let iv = "n52NClYRBBIWTqAxFp1oXw==";
//! let encrypted_data = "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotRBKvJ4tauI1841Z\
//!     TI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvjo9vEwaKOEm4nE+DzVjI=";
//!
//! let key = SessionKey::from_base64(session_key, Base64Mode::Repair)?;
//! let iv = Iv::from_base64(iv, Base64Mode::Repair)?;
//! let options = Options::expect_appid("wx4f4bc4dec97d474b");
//! let mut scratch = [0u8; 2048]; // at least werun::scratch_len(encrypted_data.len())
//! let steps = Steps::<32>::decrypt(&key, &iv, encrypted_data.as_bytes(), &options, &mut scratch)?;
//!
//! assert_eq!(steps.len(), 1);
//! assert_eq!((steps[0].timestamp, steps[0].step), (1_717_171_200, 21_014));
//! assert_eq!(steps.watermark().map(|w| w.timestamp), Some(1_717_201_234));
//! # Ok::<(), werun::Error>(())
//! ```
//!
//! # Which call
//!
//! | call | output | memory |
//! |---|---|---|
//! | [`Steps::<N>::decrypt`](Steps::decrypt) | an owned array of up to `N` entries ([`DEFAULT_CAPACITY`] fits every real payload) | your scratch buffer |
//! | [`decrypt_steps`] | the entries, in your `&mut [StepInfo]` | your scratch buffer |
//! | [`decrypt_steps_in_place`] | the same | decrypts inside your mutable copy of the text: no scratch |
//! | [`open_data`], [`open_data_in_place`] | any open data's JSON, watermark verified | the JSON stays in your buffer |
//! | [`diagnose`] | the likely cause of a [`Error::DecryptFailed`], **for your logs only** | your scratch buffer |
//!
//! The scratch buffer needs [`scratch_len`]`(encrypted_data.len())` bytes (about 3/4 of the
//! text; 1,248 for a real 31-entry payload); it is wiped before every call returns.
//!
//! [`Options`] has no `Default`: name your appid with [`Options::expect_appid`], or skip the
//! check in writing with [`Options::skip_appid_check`]. [`Options::max_age`] adds a freshness
//! check (there is no clock in `no_std`: you pass the time), and [`Base64Mode::Strict`] refuses
//! the repairs (a space for `+`, line breaks, the URL-safe alphabet, missing `=`).
//!
//! ```
//! use werun::{open_data, Base64Mode, Iv, Options, SessionKey};
//!
//! // A getPhoneNumber payload.
//! let key = SessionKey::from_base64("MB3Bqtn9OceelqQS1wyVQw==", Base64Mode::Repair)?;
//! let iv = Iv::from_base64("XgOEEWZ6JNtoO0700rnITA==", Base64Mode::Repair)?;
//! let data = "78mhGZq0tjohxAPkLApOspW5ve4Z5yGSoom1AtAlord0fYBdVgUlhTavmkrchgaOpz4AhqbkI9JoBM58VHV8s\
//!     KgpOQZy54JFEruUUN55FmfBK1ErO9CxO52YIzmGBMY955xvzyCwKZAfEuO1yHplo25ztzbVpaxaxjrVuZCdAIn+Pn8T\
//!     vegXSh9wOiLXzkirQ6sTVrZVfTOXgnh2nwpivw==";
//! let mut scratch = [0u8; 512];
//! let opened = open_data(&key, &iv, data.as_bytes(), &Options::expect_appid("wx4f4bc4dec97d474b"), &mut scratch)?;
//! assert!(opened.json.starts_with(r#"{"phoneNumber":"+8613800138000""#));
//! # Ok::<(), werun::Error>(())
//! ```
//!
//! # Errors
//!
//! Every failure is one [`Error`] variant with a stable code ([`Error::code`], the C ABI's
//! status) and a message with advice ([`Error::message`]). Bad padding, bad UTF-8, bad JSON and
//! a payload that is not WeRun data are all [`Error::DecryptFailed`] on purpose: CBC has no
//! integrity check and the client chooses the IV, so a client that could tell those apart would
//! have a padding oracle. [`diagnose`] tells them apart for your logs:
//!
//! ```
//! use werun::{diagnose, open_data, Base64Mode, Diagnosis, Error, Iv, Options, SessionKey};
//!
//! // The same payload with a stale session_key.
//! let key = SessionKey::from_base64("nQ+Agc414E1YvlKpGyICRA==", Base64Mode::Repair)?;
//! let iv = Iv::from_base64("XgOEEWZ6JNtoO0700rnITA==", Base64Mode::Repair)?;
//! let data = "78mhGZq0tjohxAPkLApOspW5ve4Z5yGSoom1AtAlord0fYBdVgUlhTavmkrchgaOpz4AhqbkI9JoBM58VHV8s\
//!     KgpOQZy54JFEruUUN55FmfBK1ErO9CxO52YIzmGBMY955xvzyCwKZAfEuO1yHplo25ztzbVpaxaxjrVuZCdAIn+Pn8T\
//!     vegXSh9wOiLXzkirQ6sTVrZVfTOXgnh2nwpivw==";
//! let mut scratch = [0u8; 512];
//! let options = Options::expect_appid("wx4f4bc4dec97d474b");
//! let err = open_data(&key, &iv, data.as_bytes(), &options, &mut scratch).unwrap_err();
//! assert_eq!(err, Error::DecryptFailed); // what the client may learn: "log in again"
//! let cause = diagnose(&key, &iv, data.as_bytes(), Base64Mode::Repair, &mut scratch)?;
//! assert_eq!(cause, Diagnosis::SessionKeyMismatch); // for your logs only
//! # Ok::<(), werun::Error>(())
//! ```
//!
//! What a backend must still do itself (trust `openId` only from `code2Session`, one generic
//! error to clients, rate limits) is in the
//! [threat model](https://github.com/werun-dev/werun/blob/main/docs/security.md).
//!
//! # Features and targets
//!
//! * No features (the default): `#![no_std]`, no allocator, no `unsafe`, no panics, for
//!   bare-metal targets as much as for servers (tested on a Cortex-M4F; see
//!   [embedded](https://github.com/werun-dev/werun/blob/main/docs/embedded.md)).
//! * `std`: `encryptedData` is decoded with runtime-detected SIMD (AVX2, SSE4.1, NEON) when it is
//!   clean base64, and the C ABI catches panics at its boundary. The API is the same.
//!
//! The [`ffi`] module is the C ABI (`include/werun.h` in the repository; the only `unsafe` code),
//! which the C, C++, Go and Python bindings call. Rust callers do not need it.

#![no_std]
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

/// The README's Rust example, compiled and run as a doctest (not part of the documentation).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

mod base64;
mod cipher;
#[cfg(not(target_os = "none"))]
mod compact_ct;
mod diagnose;
mod error;
#[allow(unsafe_code)]
pub mod ffi;
mod json;
mod key;
mod oblivious;
mod options;
mod payload;
mod stack;
mod werun;

/// Size before speed, on bare metal (`target_os = "none"`): the code that only makes a hosted
/// build faster is left out there (base64's lookup tables and wide fast paths, the compact JSON
/// reader, the one-pass form of the key decoder, wide CBC chunks), so that the decrypt path fits
/// small flash and stack. The general paths that remain do every check the fast ones do and
/// give the same results (the fast paths fall back to them on anything unusual); hosted builds
/// are unchanged. Measured by `tests/firmware/run.sh`.
pub(crate) const SIZE_FIRST: bool = cfg!(target_os = "none");

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
