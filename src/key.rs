//! `SessionKey` and `Iv`: 16-byte values that cannot be mixed up, wiped when dropped.

use zeroize::Zeroize;

use crate::base64::{decode_block16, decode_public, Base64Mode};
use crate::Error;

/// The user's `session_key` from `code2Session` (`wx.login`): the AES-128 key. Wiped on drop.
//
// Aligned to 16 bytes on hosts so that it moves as one 16-byte word: with the byte array's
// alignment of 1, the `Result` around it put the key at an odd offset, and every copy on the way
// to the cipher split it into overlapping 8-byte loads that stalled on the stores before them.
// Not on bare metal, where the padding it adds to frames would cost stack (tests/firmware).
#[derive(Clone)]
#[cfg_attr(not(target_os = "none"), repr(align(16)))]
pub struct SessionKey([u8; 16]);

impl SessionKey {
    /// Decodes the base64 `session_key` as the backend received it.
    ///
    /// # Errors
    /// [`Error::SessionKeyInvalid`] when it is not base64 (under `mode`) of exactly 16 bytes.
    #[inline(always)]
    pub fn from_base64(session_key: impl AsRef<[u8]>, mode: Base64Mode) -> Result<Self, Error> {
        let text = session_key.as_ref();
        // Decoded and wrapped in a frame of its own, scrubbed afterwards: the only copy left is
        // the returned one, which is wiped when dropped.
        crate::stack::scrubbed::<{ crate::stack::KEY_DECODING }, _>(|| {
            decode_block16(text, mode)
                .map(SessionKey)
                .ok_or(Error::SessionKeyInvalid)
        })
    }

    /// [`SessionKey::from_base64`] without its own stack scrub, for the C ABI on bare metal,
    /// whose boundary scrubs the whole call (decoding included) once: the nested scrub
    /// (`stack::KEY_DECODING`) would be the deepest write of `werun_decrypt_steps` there.
    #[cfg(target_os = "none")]
    pub(crate) fn from_base64_unscrubbed(text: &[u8], mode: Base64Mode) -> Result<Self, Error> {
        decode_block16(text, mode)
            .map(SessionKey)
            .ok_or(Error::SessionKeyInvalid)
    }

    /// Wraps 16 raw key bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        SessionKey(bytes)
    }

    pub(crate) fn as_array(&self) -> &[u8; 16] {
        &self.0
    }
}

impl Drop for SessionKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

/// The `iv` that `wx.getWeRunData` returned with the data: the AES-CBC initialisation vector.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(not(target_os = "none"), repr(align(16)))] // (as `SessionKey`)
pub struct Iv([u8; 16]);

impl Iv {
    /// Decodes the base64 `iv` as the backend received it.
    ///
    /// # Errors
    /// [`Error::IvInvalid`] when it is not base64 (under `mode`) of exactly 16 bytes.
    pub fn from_base64(iv: impl AsRef<[u8]>, mode: Base64Mode) -> Result<Self, Error> {
        // The IV travels in the clear: the fast decoder, same grammar as the key's.
        let mut iv_bytes = [0u8; 16];
        match decode_public(iv.as_ref(), &mut iv_bytes, mode) {
            Ok(16) => Ok(Iv(iv_bytes)),
            _ => Err(Error::IvInvalid),
        }
    }

    /// Wraps 16 raw IV bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Iv(bytes)
    }

    pub(crate) fn as_array(&self) -> &[u8; 16] {
        &self.0
    }
}

impl core::fmt::Debug for Iv {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Iv({:02x?})", self.0)
    }
}
