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
mod werun;

pub use crate::base64::{decoded_len_max, Base64Mode};
pub use crate::diagnose::{diagnose, Diagnosis};
pub use crate::error::Error;
pub use crate::key::{Iv, SessionKey};
pub use crate::options::{Freshness, Options};
pub use crate::werun::{
    decrypt_steps, decrypt_steps_in_place, open_data, open_data_in_place, scratch_len, OpenData,
    StepInfo, Steps, WeRunData, Watermark, DEFAULT_CAPACITY,
};
