//! For logs only: the likely cause of a decryption failure.
//!
//! **Never return a diagnosis to a remote client.** The public API answers every padding, UTF-8,
//! JSON and shape failure with one [`Error::DecryptFailed`] because AES-CBC here has no integrity
//! check and the client chooses the IV: a client that can tell those failures apart has a padding
//! oracle and can forge step counts. A diagnosis is exactly that distinction.

use crate::cipher::{self, BLOCK};
use crate::json::{is_truncated, Parser};
use crate::key::{Iv, SessionKey};
use crate::payload::parse_werun;
use crate::werun::decrypt;
use crate::{Base64Mode, Error, StepInfo};

/// The likely cause of a failure, as far as the data tells. Numeric values are stable (the C
/// ABI's `werun_diagnosis`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Diagnosis {
    /// It decrypts to well-formed WeRun data: if a call failed, the cause is the appid, the
    /// freshness or the capacity, which its error names.
    WeRunData = 0,
    /// It decrypts to JSON that is not WeRun data: another kind of open data (user info, phone
    /// number, share info, ...) or an unexpected shape.
    NotWeRunData = 1,
    /// The padding is wrong: the `session_key` is stale (`wx.login` ran again after the data was
    /// fetched, or another login's key was used), or the data was altered.
    SessionKeyMismatch = 2,
    /// Everything but the first block decrypts to JSON text: the `iv` does not belong to this
    /// `encryptedData`.
    IvMismatch = 3,
    /// The padding is valid but the plaintext is not JSON text: most likely a wrong key that
    /// happened to give valid padding (1 in about 256), or altered data.
    Garbled = 4,
    /// It decrypts to the beginning of a JSON document that is cut short (whatever the padding
    /// check says): `encryptedData` lost its end on the way.
    Truncated = 5,
}

impl Diagnosis {
    /// The stable numeric value.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The diagnosis with this numeric value, if any.
    #[must_use]
    pub const fn from_code(code: u32) -> Option<Self> {
        Some(match code {
            0 => Diagnosis::WeRunData,
            1 => Diagnosis::NotWeRunData,
            2 => Diagnosis::SessionKeyMismatch,
            3 => Diagnosis::IvMismatch,
            4 => Diagnosis::Garbled,
            5 => Diagnosis::Truncated,
            _ => return None,
        })
    }

    /// A static explanation for logs (never for clients).
    #[must_use]
    pub fn message(self) -> &'static str {
        let text = self.message_with_nul();
        text.strip_suffix('\0').unwrap_or(text)
    }

    /// [`Diagnosis::message`] as a C string (the C ABI's `werun_diagnosis_str`).
    pub(crate) fn c_message(self) -> &'static core::ffi::CStr {
        core::ffi::CStr::from_bytes_with_nul(self.message_with_nul().as_bytes()).unwrap_or(c"")
    }

    const fn message_with_nul(self) -> &'static str {
        match self {
            Diagnosis::WeRunData => {
                "decrypts to WeRun data: see the call's own error (appid, freshness or capacity)\0"
            }
            Diagnosis::NotWeRunData => {
                "decrypts to JSON that is not WeRun data (user info, phone number, share info?): \
                 check which wx API the mini-program called\0"
            }
            Diagnosis::SessionKeyMismatch => {
                "bad padding: the session_key is stale or from another login (call wx.login \
                 before wx.getWeRunData and use the session_key it produced), or the data was \
                 altered\0"
            }
            Diagnosis::IvMismatch => {
                "only the first block is garbled: the iv does not belong to this encryptedData \
                 (send the iv that came with it)\0"
            }
            Diagnosis::Garbled => {
                "valid padding but no JSON: a wrong session_key by chance, or altered data\0"
            }
            Diagnosis::Truncated => {
                "the data decrypts to the beginning of a JSON document that is cut short: \
                 encryptedData lost its end on the way (a VARCHAR column or a URL or query-string \
                 length limit, a proxy's body size limit, a logger); store and send it whole\0"
            }
        }
    }
}

impl core::fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())
    }
}

/// Decrypts like [`crate::decrypt_steps`] and names the likely cause of a failure. For server
/// logs only: never send the result to a client (see the module docs).
///
/// **Not constant time**: it stops where it can name the cause, so its time depends on the
/// plaintext (on one 31-entry payload length: 9,350 instructions for a stale key, 28,543 for a
/// wrong iv). Call it off the request path (after the response, from a queue), never where a
/// client can time it.
///
/// `scratch` is used and wiped as in [`crate::decrypt_steps`].
///
/// # Errors
/// The errors that come before decryption: [`Error::EncryptedDataInvalid`],
/// [`Error::CiphertextLength`] and [`Error::BufferTooSmall`] (decode the key and IV with
/// [`SessionKey::from_base64`] and [`Iv::from_base64`] first).
pub fn diagnose(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &[u8],
    mode: Base64Mode,
    scratch: &mut [u8],
) -> Result<Diagnosis, Error> {
    crate::stack::scrubbed::<{ crate::stack::DECRYPTION }, _>(|| {
        diagnose_unscrubbed(session_key, iv, encrypted_data, mode, scratch)
    })
}

/// [`diagnose`] without the stack scrub: for the C ABI, whose boundary scrubs once for the
/// whole call.
pub(crate) fn diagnose_unscrubbed(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &[u8],
    mode: Base64Mode,
    scratch: &mut [u8],
) -> Result<Diagnosis, Error> {
    let options = crate::Options::skip_appid_check().base64(mode);
    let len = crate::werun::decode(encrypted_data, scratch, &options)?;
    let ciphertext = scratch.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    let diagnosis = match decrypt(session_key, iv, ciphertext).and_then(|n| ciphertext.get(..n)) {
        // Cut at a block boundary, the data still decrypts (CBC needs only the block before),
        // but its last block is JSON text, not padding.
        None if is_truncated(ciphertext) => Diagnosis::Truncated,
        None => Diagnosis::SessionKeyMismatch,
        Some(plaintext) => classify(plaintext),
    };
    cipher::wipe(ciphertext);
    Ok(diagnosis)
}

fn classify(plaintext: &[u8]) -> Diagnosis {
    if parse_werun(plaintext, &mut [] as &mut [StepInfo]).is_ok() {
        return Diagnosis::WeRunData;
    }
    let mut parser = Parser::new(plaintext);
    if parser.skip_value().and_then(|()| parser.end()).is_ok() {
        return Diagnosis::NotWeRunData;
    }
    if is_truncated(plaintext) {
        return Diagnosis::Truncated;
    }
    // A wrong IV garbles the first block only: the rest is still the JSON text's tail. (Valid JSON
    // starts with printable ASCII: a garbled block of 16 bytes passes for that 1 time in 10^7.)
    let (first, tail) = plaintext.split_at(plaintext.len().min(BLOCK));
    let first_garbled = !first
        .iter()
        .all(|&b| b == b' ' || b.is_ascii_graphic() || b"\t\r\n".contains(&b));
    let tail_is_text = tail.last() == Some(&b'}')
        && core::str::from_utf8(tail).is_ok_and(|s| {
            s.chars()
                .all(|c| !c.is_control() || c.is_ascii_whitespace())
        });
    if first_garbled && tail_is_text {
        Diagnosis::IvMismatch
    } else {
        Diagnosis::Garbled
    }
}
