//! The one error type of the library, with stable numeric codes and advice.

use core::fmt;

/// Why a call failed.
///
/// The numeric codes ([`Error::code`]) are part of the C ABI and never change: `0` is success and
/// `1` (`NULL_ARGUMENT`) exists only in the C ABI, so the Rust variants start at `2`.
///
/// Padding, UTF-8, JSON and shape failures are deliberately one variant,
/// [`Error::DecryptFailed`]: AES-CBC has no integrity check and the IV comes from the client, so
/// telling them apart to a remote client would be a padding oracle. Use [`crate::diagnose`] to
/// learn the likely cause for your logs, and never return that to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// `session_key` is not base64 or does not decode to exactly 16 bytes.
    SessionKeyInvalid = 2,
    /// `iv` is not base64 or does not decode to exactly 16 bytes.
    IvInvalid = 3,
    /// `encryptedData` is not base64.
    EncryptedDataInvalid = 4,
    /// The decoded ciphertext is empty or not a multiple of 16 bytes.
    CiphertextLength = 5,
    /// The caller's scratch buffer cannot hold the decoded ciphertext.
    BufferTooSmall = 6,
    /// Bad padding, not UTF-8, not JSON, or not the expected shape: a stale or mismatched
    /// `session_key`, the wrong `iv`, or altered data.
    DecryptFailed = 7,
    /// `watermark.appid` is not the appid the caller expects.
    AppIdMismatch = 8,
    /// Freshness was asked for and the watermark is too old, in the future, or missing.
    WatermarkExpired = 9,
    /// The payload holds more step entries than the caller's output can take.
    CapacityExceeded = 10,
}

/// `WXBizDataCrypt`'s `IllegalAesKey`: the `session_key` is not 24 characters of base64.
pub const WX_ILLEGAL_AES_KEY: i32 = -41001;
/// `WXBizDataCrypt`'s `IllegalIv`: the `iv` is not 24 characters of base64.
pub const WX_ILLEGAL_IV: i32 = -41002;
/// `WXBizDataCrypt`'s `IllegalBuffer`: decryption, JSON or appid failed.
pub const WX_ILLEGAL_BUFFER: i32 = -41003;
/// `WXBizDataCrypt`'s `DecodeBase64Error`.
pub const WX_DECODE_BASE64_ERROR: i32 = -41004;

impl Error {
    /// Every variant, in code order (for tests and bindings that enumerate the statuses).
    pub const ALL: [Error; 9] = [
        Error::SessionKeyInvalid,
        Error::IvInvalid,
        Error::EncryptedDataInvalid,
        Error::CiphertextLength,
        Error::BufferTooSmall,
        Error::DecryptFailed,
        Error::AppIdMismatch,
        Error::WatermarkExpired,
        Error::CapacityExceeded,
    ];

    /// The stable numeric code (the C ABI's `werun_status` value).
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The variant with this code, if any.
    #[must_use]
    pub const fn from_code(code: u32) -> Option<Error> {
        Some(match code {
            2 => Error::SessionKeyInvalid,
            3 => Error::IvInvalid,
            4 => Error::EncryptedDataInvalid,
            5 => Error::CiphertextLength,
            6 => Error::BufferTooSmall,
            7 => Error::DecryptFailed,
            8 => Error::AppIdMismatch,
            9 => Error::WatermarkExpired,
            10 => Error::CapacityExceeded,
            _ => return None,
        })
    }

    /// The code WeChat's official `WXBizDataCrypt` sample returns for the same input, for
    /// backends that replace it and must keep answering with its codes:
    ///
    /// | werun | sample |
    /// |---|---|
    /// | [`Error::SessionKeyInvalid`] | -41001 (`IllegalAesKey`) |
    /// | [`Error::IvInvalid`] | -41002 (`IllegalIv`) |
    /// | [`Error::EncryptedDataInvalid`] | -41004 (`DecodeBase64Error`) |
    /// | [`Error::CiphertextLength`], [`Error::DecryptFailed`], [`Error::AppIdMismatch`] | -41003 (`IllegalBuffer`) |
    ///
    /// [`Error::BufferTooSmall`], [`Error::WatermarkExpired`] and [`Error::CapacityExceeded`]
    /// have no counterpart (the sample has no scratch buffer, no freshness check and no
    /// capacity): they map to -41003, the sample's catch-all failure, so that a migrated backend
    /// still answers with an error its clients know.
    #[must_use]
    pub const fn wx_code(self) -> i32 {
        match self {
            Error::SessionKeyInvalid => WX_ILLEGAL_AES_KEY,
            Error::IvInvalid => WX_ILLEGAL_IV,
            Error::EncryptedDataInvalid => WX_DECODE_BASE64_ERROR,
            Error::CiphertextLength
            | Error::BufferTooSmall
            | Error::DecryptFailed
            | Error::AppIdMismatch
            | Error::WatermarkExpired
            | Error::CapacityExceeded => WX_ILLEGAL_BUFFER,
        }
    }

    /// A static message that says what went wrong and what to do about it.
    #[must_use]
    pub fn message(self) -> &'static str {
        let text = self.message_with_nul();
        text.strip_suffix('\0').unwrap_or(text)
    }

    /// [`Error::message`] as a C string (the C ABI's `werun_status_str`).
    pub(crate) fn c_message(self) -> &'static core::ffi::CStr {
        core::ffi::CStr::from_bytes_with_nul(self.message_with_nul().as_bytes()).unwrap_or(c"")
    }

    /// The one table of messages, NUL-terminated for C.
    const fn message_with_nul(self) -> &'static str {
        match self {
            Error::SessionKeyInvalid => {
                "session_key is not base64 of 16 bytes: pass the session_key that code2Session \
                 returned, unchanged\0"
            }
            Error::IvInvalid => {
                "iv is not base64 of 16 bytes: pass the iv that wx.getWeRunData returned, unchanged\0"
            }
            Error::EncryptedDataInvalid => {
                "encryptedData is not base64: pass the encryptedData that wx.getWeRunData \
                 returned, unchanged\0"
            }
            Error::CiphertextLength => {
                "encryptedData does not decode to a whole number of 16-byte AES blocks: it was \
                 truncated or is not WeChat encrypted data\0"
            }
            Error::BufferTooSmall => {
                "the scratch buffer is smaller than the decoded encryptedData: give at least \
                 werun_scratch_len(encrypted_data_len) bytes\0"
            }
            Error::DecryptFailed => {
                "decryption failed: the session_key is stale or belongs to another login, or the \
                 iv or data do not belong together; call wx.login before wx.getWeRunData and use \
                 the session_key it produced\0"
            }
            Error::AppIdMismatch => {
                "watermark.appid is missing or is not this backend's appid: the data was produced \
                 for another mini-program\0"
            }
            Error::WatermarkExpired => {
                "the watermark timestamp is older than the allowed age, in the future, or missing: \
                 ask the mini-program for fresh data\0"
            }
            Error::CapacityExceeded => {
                "the payload holds more step entries than the output can take: give a larger \
                 output array (WERUN_DEFAULT_CAPACITY fits every real WeRun payload)\0"
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for Error {}
