//! The public operations: WeRun steps, any open data, both from a scratch buffer or in place.

use crate::base64::{self, DecodeError};
use crate::cipher::{self, BLOCK};
use crate::json::JsonStr;
use crate::key::{Iv, SessionKey};
use crate::options::Options;
#[cfg(not(target_os = "none"))]
use crate::payload::parse_werun;
use crate::payload::{parse_open_data, RawWatermark};
use crate::Error;

/// One day of WeRun data: the day's start (00:00 UTC+8) in Unix seconds, and the steps walked.
///
/// In the C ABI this is `werun_step` (16 bytes: `int64_t timestamp; uint32_t step;` and 4 bytes
/// of padding).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StepInfo {
    /// Start of the day, Unix seconds.
    pub timestamp: i64,
    /// Steps walked that day.
    pub step: u32,
}

/// The verified watermark of a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Watermark {
    /// When WeChat produced the payload, Unix seconds.
    pub timestamp: i64,
}

/// Decrypted, verified WeRun data, borrowing the caller's output array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WeRunData<'o> {
    /// The entries of `stepInfoList`, in document order (WeChat sends the last 30 days and
    /// today, oldest first).
    pub steps: &'o [StepInfo],
    /// The watermark; `None` only when the appid check was skipped and the payload has none.
    pub watermark: Option<Watermark>,
}

/// Decrypted, verified open data (user info, phone number, share info, ...): the plaintext JSON,
/// borrowing the caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpenData<'b> {
    /// The whole plaintext JSON object, valid UTF-8.
    pub json: &'b str,
    /// The watermark; `None` only when the appid check was skipped and the payload has none.
    pub watermark: Option<Watermark>,
}

/// Output capacity that every real WeRun payload fits (WeChat sends 31 entries: 30 days and
/// today).
pub const DEFAULT_CAPACITY: usize = 32;

/// The scratch size that decoding `encrypted_data_len` characters of base64 can need.
#[must_use]
pub const fn scratch_len(encrypted_data_len: usize) -> usize {
    base64::decoded_len_max(encrypted_data_len)
}

/// Decrypts WeRun data and writes its steps to `out`.
///
/// `encrypted_data` is decoded into `scratch` (at least [`scratch_len`]`(encrypted_data.len())`
/// bytes, or exactly the decoded size), decrypted there and wiped before return, success or not.
/// On error nothing is left in `out`: every entry is reset to zero.
///
/// # Errors
/// Any [`Error`] but the key and IV ones (those come from [`SessionKey::from_base64`] and
/// [`Iv::from_base64`]). Checks run in this order: base64, length, scratch size, decryption and
/// shape ([`Error::DecryptFailed`]), appid, freshness, capacity.
pub fn decrypt_steps<'o>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &[u8],
    options: &Options<'_>,
    scratch: &mut [u8],
    out: &'o mut [StepInfo],
) -> Result<WeRunData<'o>, Error> {
    crate::stack::scrubbed::<{ crate::stack::DECRYPTION }, _>(|| {
        decrypt_steps_unscrubbed(session_key, iv, encrypted_data, options, scratch, out)
    })
}

/// [`decrypt_steps`] without the stack scrub: for the C ABI, whose boundary scrubs once for the
/// whole call.
#[cfg_attr(target_os = "none", inline(always))]
pub(crate) fn decrypt_steps_unscrubbed<'o>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &[u8],
    options: &Options<'_>,
    scratch: &mut [u8],
    out: &'o mut [StepInfo],
) -> Result<WeRunData<'o>, Error> {
    match decode(encrypted_data, scratch, options) {
        Ok(len) => match scratch.get_mut(..len) {
            Some(ciphertext) => steps_from_ciphertext(session_key, iv, ciphertext, options, out),
            None => cleared(out, Error::BufferTooSmall),
        },
        Err(e) => cleared(out, e),
    }
}

/// [`decrypt_steps`] without a scratch buffer: decodes and decrypts inside `encrypted_data` (the
/// caller's mutable copy of the base64 text). Afterwards it holds no plaintext: the bytes the
/// ciphertext was decoded into (the first three quarters) are zeros, and the rest still holds
/// the end of the original base64 text (public data); after a base64 error, the text may be
/// partly decoded.
///
/// # Errors
/// As [`decrypt_steps`], except [`Error::BufferTooSmall`], which cannot happen.
pub fn decrypt_steps_in_place<'o>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &mut [u8],
    options: &Options<'_>,
    out: &'o mut [StepInfo],
) -> Result<WeRunData<'o>, Error> {
    crate::stack::scrubbed::<{ crate::stack::DECRYPTION }, _>(|| {
        decrypt_steps_in_place_unscrubbed(session_key, iv, encrypted_data, options, out)
    })
}

/// [`decrypt_steps_in_place`] without the stack scrub: for the C ABI, whose boundary scrubs once for the
/// whole call.
pub(crate) fn decrypt_steps_in_place_unscrubbed<'o>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &mut [u8],
    options: &Options<'_>,
    out: &'o mut [StepInfo],
) -> Result<WeRunData<'o>, Error> {
    match decode_in_place(encrypted_data, options) {
        Ok(len) => match encrypted_data.get_mut(..len) {
            Some(ciphertext) => steps_from_ciphertext(session_key, iv, ciphertext, options, out),
            None => cleared(out, Error::BufferTooSmall),
        },
        Err(e) => cleared(out, e),
    }
}

/// Decrypts any WeChat open data (phone number, user info, share info, WeRun) and verifies its
/// watermark, returning the plaintext JSON inside `scratch`.
///
/// `scratch` must hold the decoded ciphertext, as for [`decrypt_steps`]. On success it holds the
/// plaintext (the caller's to wipe); on error it is wiped.
///
/// # Errors
/// As [`decrypt_steps`], without [`Error::CapacityExceeded`]. The plaintext must be a JSON
/// object.
pub fn open_data<'b>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &[u8],
    options: &Options<'_>,
    scratch: &'b mut [u8],
) -> Result<OpenData<'b>, Error> {
    crate::stack::scrubbed::<{ crate::stack::DECRYPTION }, _>(|| {
        open_data_unscrubbed(session_key, iv, encrypted_data, options, scratch)
    })
}

/// [`open_data`] without the stack scrub: for the C ABI, whose boundary scrubs once for the
/// whole call.
pub(crate) fn open_data_unscrubbed<'b>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &[u8],
    options: &Options<'_>,
    scratch: &'b mut [u8],
) -> Result<OpenData<'b>, Error> {
    let len = decode(encrypted_data, scratch, options)?;
    let ciphertext = scratch.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    open_data_from_ciphertext(session_key, iv, ciphertext, options)
}

/// [`open_data`] inside the caller's mutable copy of `encrypted_data`: on success the returned
/// JSON borrows it.
///
/// # Errors
/// As [`open_data`], except [`Error::BufferTooSmall`].
pub fn open_data_in_place<'b>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &'b mut [u8],
    options: &Options<'_>,
) -> Result<OpenData<'b>, Error> {
    crate::stack::scrubbed::<{ crate::stack::DECRYPTION }, _>(|| {
        open_data_in_place_unscrubbed(session_key, iv, encrypted_data, options)
    })
}

/// [`open_data_in_place`] without the stack scrub: for the C ABI, whose boundary scrubs once for the
/// whole call.
pub(crate) fn open_data_in_place_unscrubbed<'b>(
    session_key: &SessionKey,
    iv: &Iv,
    encrypted_data: &'b mut [u8],
    options: &Options<'_>,
) -> Result<OpenData<'b>, Error> {
    let len = decode_in_place(encrypted_data, options)?;
    let ciphertext = encrypted_data.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    open_data_from_ciphertext(session_key, iv, ciphertext, options)
}

/// Most candidate keys one call of [`decrypt_steps_with_keys`] tries.
///
/// Two cover the field's case (the key from the latest `wx.login` and the one before it, kept
/// for a minute or so while the client's data catches up); four leave room for concurrent logins.
/// Each extra key adds to the work of a failed call (one more decryption and parse), not to the
/// odds of a false accept: a wrong key must turn the ciphertext into valid padding *and* a WeRun
/// JSON document with your appid, which random bytes do with a probability far below 2^-100.
pub const MAX_CANDIDATE_KEYS: usize = 4;

/// The scratch size that [`decrypt_steps_with_keys`] needs for `encrypted_data_len` characters
/// of base64: the decoded ciphertext, and as much again to decrypt it into (so that every
/// candidate starts from the same ciphertext, decoded once).
#[must_use]
pub const fn scratch_len_with_keys(encrypted_data_len: usize) -> usize {
    scratch_len(encrypted_data_len).saturating_mul(2)
}

/// [`decrypt_steps`] with several candidate keys: the first key (in the caller's order) under
/// which the data decrypts to WeRun data wins, and its index is returned with the data.
///
/// This is the answer to a rotated `session_key`: the client called `wx.login` again (or two
/// logins raced) and the data arrives encrypted under the key before the one the backend stored,
/// or the other way round. Keep the previous key for a short while and pass both.
///
/// `encrypted_data` is decoded once into the first half of `scratch` (at least
/// [`scratch_len_with_keys`]`(encrypted_data.len())` bytes); each candidate decrypts a copy of
/// it into the second half and parses it there, whatever its padding says, so a failed candidate
/// costs the same whatever the reason. Everything it wrote is wiped before return. On success
/// the entries of `out` after the returned steps are unspecified (zero, or as they were).
///
/// # Errors
/// As [`decrypt_steps`]. [`Error::SessionKeyInvalid`] when `session_keys` is empty or longer than
/// [`MAX_CANDIDATE_KEYS`]. [`Error::BufferTooSmall`] when `scratch` cannot hold the ciphertext
/// twice. When no candidate decrypts the data: [`Error::DecryptFailed`], with the same outputs
/// whatever each candidate did. A candidate that decrypts the data decides the outcome: its
/// appid, freshness and capacity errors are returned as they are.
pub fn decrypt_steps_with_keys<'o>(
    session_keys: &[SessionKey],
    iv: &Iv,
    encrypted_data: &[u8],
    options: &Options<'_>,
    scratch: &mut [u8],
    out: &'o mut [StepInfo],
) -> Result<(usize, WeRunData<'o>), Error> {
    crate::stack::scrubbed::<{ crate::stack::DECRYPTION }, _>(|| {
        decrypt_steps_with_keys_unscrubbed(session_keys, iv, encrypted_data, options, scratch, out)
    })
}

/// [`decrypt_steps_with_keys`] without the stack scrub: for the C ABI, whose boundary scrubs
/// once for the whole call.
pub(crate) fn decrypt_steps_with_keys_unscrubbed<'o>(
    session_keys: &[SessionKey],
    iv: &Iv,
    encrypted_data: &[u8],
    options: &Options<'_>,
    scratch: &mut [u8],
    out: &'o mut [StepInfo],
) -> Result<(usize, WeRunData<'o>), Error> {
    if session_keys.is_empty() || session_keys.len() > MAX_CANDIDATE_KEYS {
        return cleared(out, Error::SessionKeyInvalid);
    }
    let half = scratch.len() / 2;
    let (ciphertext_half, plaintext_half) = scratch.split_at_mut(half);
    let len = match decode(encrypted_data, ciphertext_half, options) {
        Ok(len) => len,
        Err(e) => {
            cipher::wipe(plaintext_half);
            return cleared(out, e);
        }
    };
    let (Some(ciphertext), Some(plaintext)) =
        (ciphertext_half.get(..len), plaintext_half.get_mut(..len))
    else {
        cipher::wipe(ciphertext_half);
        return cleared(out, Error::BufferTooSmall);
    };
    // Every candidate gets the same work whatever its plaintext: a decryption and the oblivious
    // check of the whole buffer. Only the first one the check accepts is then read (once per
    // call, at whatever index it stands), and the later candidates are still checked, so the
    // time depends on the number of keys and the outcome, not on which key was right or why
    // the others failed.
    let mut outcome = Err(Error::DecryptFailed);
    let mut decided = false;
    #[cfg(not(target_os = "none"))]
    let mut heads = crate::compact_ct::Heads::new();
    for (index, key) in session_keys.iter().enumerate() {
        plaintext.copy_from_slice(ciphertext);
        let (plain_len, padding_valid) = decrypt_verdict(key, iv, plaintext);
        // (Only one key can decrypt the data to a document, so whether the layout check or the
        // general pass accepted it tells nothing about its index.)
        #[cfg(not(target_os = "none"))]
        let verdict = accepted(
            plaintext,
            plain_len,
            padding_valid,
            options.appid(),
            &mut heads,
        );
        #[cfg(target_os = "none")]
        let verdict = (validate(plaintext, plain_len, true) & padding_valid).then_some(());
        if core::hint::black_box(verdict.is_some()) && !decided {
            decided = true;
            #[cfg(not(target_os = "none"))]
            let read =
                verdict.and_then(|reader| read_with(plaintext, plain_len, reader, &heads, out));
            #[cfg(target_os = "none")]
            let read = read_werun(plaintext, plain_len, true, None, out);
            // A key under which the data decrypts decides the outcome (appid, freshness included).
            outcome = match read {
                Some((count, watermark)) => options
                    .verify(watermark)
                    .map(|watermark| (index, count, watermark)),
                None => Err(Error::DecryptFailed),
            };
        }
        cipher::wipe(plaintext);
    }
    cipher::wipe(ciphertext_half);
    match outcome {
        Ok((index, count, watermark)) if count <= out.len() => Ok((
            index,
            WeRunData {
                steps: out.get(..count).ok_or(Error::CapacityExceeded)?,
                watermark,
            },
        )),
        Ok(_) => cleared(out, Error::CapacityExceeded),
        Err(e) => cleared(out, e),
    }
}

/// Decodes `encrypted_data` into `scratch`: the ciphertext length, checked.
pub(crate) fn decode(
    encrypted_data: &[u8],
    scratch: &mut [u8],
    options: &Options<'_>,
) -> Result<usize, Error> {
    let result = base64::decode_public(encrypted_data, scratch, options.base64_mode());
    match ciphertext_len(result) {
        Ok(len) if len <= scratch.len() => Ok(len),
        failed => {
            // Nothing was decrypted, but part of the ciphertext may have been written: clear it.
            let written = scratch_len(encrypted_data.len()).min(scratch.len());
            cipher::wipe(scratch.get_mut(..written).unwrap_or_default());
            failed.and(Err(Error::BufferTooSmall))
        }
    }
}

fn decode_in_place(encrypted_data: &mut [u8], options: &Options<'_>) -> Result<usize, Error> {
    ciphertext_len(base64::decode_in_place(
        encrypted_data,
        options.base64_mode(),
    ))
}

/// Maps a base64 result to the ciphertext length (which may exceed the output: the caller
/// reports that), checking that it is whole AES blocks.
fn ciphertext_len(result: Result<usize, DecodeError>) -> Result<usize, Error> {
    let len = match result {
        Ok(len) | Err(DecodeError::TooLong(len)) => len,
        Err(DecodeError::Invalid) => return Err(Error::EncryptedDataInvalid),
    };
    if len == 0 || len % BLOCK != 0 {
        return Err(Error::CiphertextLength);
    }
    Ok(len)
}

/// Decrypts whole blocks in place and strips the padding: the plaintext length. For
/// [`crate::diagnose`], which names causes on purpose; the decrypting calls use
/// [`decrypt_verdict`].
pub(crate) fn decrypt(key: &SessionKey, iv: &Iv, ciphertext: &mut [u8]) -> Option<usize> {
    cipher::decrypt_blocks(key, iv, ciphertext);
    cipher::unpadded_len(ciphertext)
}

/// Decrypts whole blocks in place and checks the padding without acting on it: the length to
/// parse (the message's when the padding is valid, the whole plaintext when not) and the
/// padding verdict.
///
/// The callers parse in both cases and act on the verdict only afterwards, so that a bad padding
/// does the same work as a parse failure at the same place: stopping at the padding would make
/// "padding right, JSON broken" (what a padding-oracle attacker's modified ciphertext gives when
/// the guess is right) measurably slower than "padding wrong".
fn decrypt_verdict(key: &SessionKey, iv: &Iv, ciphertext: &mut [u8]) -> (usize, bool) {
    cipher::decrypt_blocks(key, iv, ciphertext);
    cipher::padding_verdict(ciphertext)
}

/// Whether `buf[..len]` is a document werun accepts (WeRun when `werun`, else any open data):
/// the oblivious check of [`crate::oblivious`], whose work depends on `buf.len()` alone.
#[inline(always)]
fn validate(buf: &[u8], len: usize, werun: bool) -> bool {
    crate::oblivious::scan::<{ crate::SIZE_FIRST }>(buf, len, werun, &mut []).valid
}

/// Reads the WeRun document in `buf[..len]` once the padding verdict is known: `None` unless
/// both the padding and the document are valid. Nothing here acts on a byte of the plaintext
/// before the oblivious check has accepted the whole buffer, so a failure costs the same
/// whatever the plaintext; only a document werun accepts is then read by the fast readers
/// (hosted) or taken from the same oblivious pass (bare metal, [`crate::SIZE_FIRST`]).
#[inline(always)]
fn read_werun<'t>(
    buf: &'t [u8],
    len: usize,
    padding_valid: bool,
    appid: Option<&[u8]>,
    out: &mut [StepInfo],
) -> Option<(usize, Option<RawWatermark<'t>>)> {
    #[cfg(target_os = "none")]
    {
        let _ = appid;
        let scan = crate::oblivious::scan::<true>(buf, len, true, out);
        if !core::hint::black_box(scan.valid & padding_valid) {
            return None;
        }
        Some((scan.count, watermark_at(buf, scan.watermark)))
    }
    #[cfg(not(target_os = "none"))]
    {
        let mut heads = crate::compact_ct::Heads::new();
        let reader = accepted(buf, len, padding_valid, appid, &mut heads)?;
        read_with(buf, len, reader, &heads, out)
    }
}

/// Reads a WeRun document the checks accepted, with the reader they chose (hosted builds).
#[cfg(not(target_os = "none"))]
fn read_with<'t>(
    buf: &'t [u8],
    len: usize,
    reader: Reader<'_>,
    heads: &crate::compact_ct::Heads,
    out: &mut [StepInfo],
) -> Option<(usize, Option<RawWatermark<'t>>)> {
    let text = buf.get(..len)?;
    match reader {
        Reader::Compact(appid) => {
            match crate::compact_ct::read(buf, len, appid, heads, out) {
                Some((count, watermark)) => Some((count, Some(watermark))),
                // (Cannot happen: the check accepts only what it can read.)
                None => parse_werun(text, out).ok(),
            }
        }
        Reader::General => parse_werun(text, out).ok(),
    }
}

/// Which reader a WeRun document the checks accepted goes to (hosted builds).
#[cfg(not(target_os = "none"))]
#[derive(Clone, Copy)]
enum Reader<'a> {
    /// WeChat's own layout, with the expected appid (the check left where it found the entries
    /// in the caller's [`crate::compact_ct::Heads`]).
    Compact(&'a [u8]),
    /// Any other document werun accepts.
    General,
}

/// The checks of a decrypted WeRun buffer, none of which acts on a byte before it has read them
/// all: WeChat's layout ([`crate::compact_ct`]), and when that says no, the general oblivious
/// pass. So a failed call runs both, whatever the plaintext; `None` when both say no.
#[cfg(not(target_os = "none"))]
#[inline(always)]
fn accepted<'a>(
    buf: &[u8],
    len: usize,
    padding_valid: bool,
    appid: Option<&'a [u8]>,
    heads: &mut crate::compact_ct::Heads,
) -> Option<Reader<'a>> {
    if let Some(appid) = appid {
        let fits = crate::compact_ct::accepts(buf, len, padding_valid, appid, heads);
        if core::hint::black_box(fits) {
            return Some(Reader::Compact(appid));
        }
    }
    core::hint::black_box(validate(buf, len, true) & padding_valid).then_some(Reader::General)
}

/// [`read_werun`] for any open data.
#[inline(always)]
fn read_open_data(buf: &[u8], len: usize, padding_valid: bool) -> Option<Option<RawWatermark<'_>>> {
    if crate::SIZE_FIRST {
        let scan = crate::oblivious::scan::<true>(buf, len, false, &mut []);
        if !core::hint::black_box(scan.valid & padding_valid) {
            return None;
        }
        Some(watermark_at(buf, scan.watermark))
    } else {
        if !core::hint::black_box(validate(buf, len, false) & padding_valid) {
            return None;
        }
        parse_open_data(buf.get(..len)?).ok()
    }
}

/// The watermark the oblivious pass found (bare metal).
fn watermark_at(buf: &[u8], found: Option<(i64, usize, usize, bool)>) -> Option<RawWatermark<'_>> {
    let (timestamp, start, end, escaped) = found?;
    Some(RawWatermark {
        timestamp,
        appid: JsonStr::new(buf.get(start..end)?, escaped),
    })
}

#[cfg_attr(target_os = "none", inline(always))]
fn steps_from_ciphertext<'o>(
    key: &SessionKey,
    iv: &Iv,
    ciphertext: &mut [u8],
    options: &Options<'_>,
    out: &'o mut [StepInfo],
) -> Result<WeRunData<'o>, Error> {
    let (len, padding_valid) = decrypt_verdict(key, iv, ciphertext);
    let result = match read_werun(ciphertext, len, padding_valid, options.appid(), out) {
        Some((count, watermark)) => options.verify(watermark).map(|w| (count, w)),
        None => Err(Error::DecryptFailed),
    };
    cipher::wipe(ciphertext);
    match result {
        Ok((count, watermark)) if count <= out.len() => Ok(WeRunData {
            steps: out.get(..count).ok_or(Error::CapacityExceeded)?,
            watermark,
        }),
        Ok(_) => cleared(out, Error::CapacityExceeded),
        Err(e) => cleared(out, e),
    }
}

/// Fails with `error`, leaving no partial result: every entry of `out` is reset.
pub(crate) fn cleared<T>(out: &mut [StepInfo], error: Error) -> Result<T, Error> {
    out.fill(StepInfo::default());
    Err(error)
}

fn open_data_from_ciphertext<'b>(
    key: &SessionKey,
    iv: &Iv,
    ciphertext: &'b mut [u8],
    options: &Options<'_>,
) -> Result<OpenData<'b>, Error> {
    let (len, padding_valid) = decrypt_verdict(key, iv, ciphertext);
    let checked = match read_open_data(ciphertext, len, padding_valid) {
        Some(watermark) => options.verify(watermark),
        None => Err(Error::DecryptFailed),
    };
    if let Err(e) = checked {
        // All of it at once: where the message ends is secret when the call fails.
        cipher::wipe(ciphertext);
        return Err(e);
    }
    // (`len` is within the plaintext; the `min` lets the compiler see it, so no panic path.)
    let (plaintext, padding) = ciphertext.split_at_mut(len.min(ciphertext.len()));
    cipher::wipe(padding);
    // The parser accepted it, so it is UTF-8; checked again rather than assumed, and the
    // plaintext is wiped if that ever failed.
    let checked = checked.and_then(|watermark| match core::str::from_utf8(plaintext) {
        Ok(_) => Ok(watermark),
        Err(_) => Err(Error::DecryptFailed),
    });
    let watermark = match checked {
        Ok(watermark) => watermark,
        Err(e) => {
            cipher::wipe(plaintext);
            return Err(e);
        }
    };
    // (Checked just above; a second check because the first borrow could not outlive the
    // failure branch, which writes to the buffer.)
    let json = core::str::from_utf8(plaintext).map_err(|_| Error::DecryptFailed)?;
    Ok(OpenData { json, watermark })
}

/// WeRun data in an owned, fixed-capacity array: the convenient form when the capacity is known
/// at compile time.
///
/// ```
/// use werun::{Base64Mode, Iv, Options, SessionKey, Steps};
/// # let v: serde_json::Value =
/// #     serde_json::from_str(include_str!("../tests/vectors/werun.json")).unwrap();
/// # let s = &v["sample"];
/// # let (key, iv, data, appid) = (s["session_key"].as_str().unwrap(), s["iv"].as_str().unwrap(),
/// #     s["encrypted_data"].as_str().unwrap(), s["appid"].as_str().unwrap());
/// let key = SessionKey::from_base64(key, Base64Mode::Repair)?;
/// let iv = Iv::from_base64(iv, Base64Mode::Repair)?;
/// let mut scratch = [0u8; 2048];
/// let steps = Steps::<32>::decrypt(&key, &iv, data.as_bytes(), &Options::expect_appid(appid), &mut scratch)?;
/// assert_eq!(steps.len(), 31);
/// # Ok::<(), werun::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Steps<const N: usize> {
    entries: [StepInfo; N],
    len: usize,
    watermark: Option<Watermark>,
}

impl<const N: usize> Steps<N> {
    /// [`decrypt_steps`] into a new `Steps`.
    ///
    /// # Errors
    /// As [`decrypt_steps`]; [`Error::CapacityExceeded`] when the payload has more than `N`
    /// entries.
    pub fn decrypt(
        session_key: &SessionKey,
        iv: &Iv,
        encrypted_data: &[u8],
        options: &Options<'_>,
        scratch: &mut [u8],
    ) -> Result<Self, Error> {
        let mut entries = [StepInfo::default(); N];
        let data = decrypt_steps(
            session_key,
            iv,
            encrypted_data,
            options,
            scratch,
            &mut entries,
        )?;
        let (len, watermark) = (data.steps.len(), data.watermark);
        Ok(Steps {
            entries,
            len,
            watermark,
        })
    }

    /// The entries, in document order.
    #[must_use]
    pub fn as_slice(&self) -> &[StepInfo] {
        self.entries.get(..self.len).unwrap_or(&[])
    }

    /// The verified watermark.
    #[must_use]
    pub const fn watermark(&self) -> Option<Watermark> {
        self.watermark
    }
}

impl<const N: usize> core::ops::Deref for Steps<N> {
    type Target = [StepInfo];

    fn deref(&self) -> &[StepInfo] {
        self.as_slice()
    }
}
