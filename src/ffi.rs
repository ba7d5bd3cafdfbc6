//! The C ABI: a thin layer that turns pointers into slices, calls the safe core and maps its
//! errors to status codes. This module holds the crate's only `unsafe` code.
//!
//! Conventions (the README's "C ABI" section has them for C readers):
//! * every fallible function returns `werun_status`; status values passed *in* are `uint32_t`;
//! * inputs are pointer + length; a NULL pointer with length 0 is an empty input, a NULL
//!   pointer with a non-zero length is `WERUN_STATUS_NULL_ARGUMENT`;
//! * `out_*` parameters are written only on success; the step array is zeroed on failure;
//! * no allocation, no global state, no panic crosses the boundary.
#![allow(non_camel_case_types)]

use core::ffi::c_char;

use crate::{Base64Mode, Diagnosis, Error, Iv, OpenData, Options, SessionKey, StepInfo, WeRunData};

/// The result of every fallible call. Values are stable and never renumbered.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum werun_status {
    /// Success.
    Ok = 0,
    /// A required pointer is NULL (or NULL with a non-zero length).
    NullArgument = 1,
    /// `session_key` is not base64 of 16 bytes.
    SessionKeyInvalid = 2,
    /// `iv` is not base64 of 16 bytes.
    IvInvalid = 3,
    /// `encrypted_data` is not base64.
    EncryptedDataInvalid = 4,
    /// The decoded ciphertext is empty or not a multiple of 16 bytes.
    CiphertextLength = 5,
    /// `scratch` cannot hold the decoded ciphertext.
    BufferTooSmall = 6,
    /// Bad padding, not UTF-8, not JSON or not the expected shape (one status on purpose: see
    /// `werun_diagnose`).
    DecryptFailed = 7,
    /// `watermark.appid` is missing or not the expected appid.
    AppidMismatch = 8,
    /// Freshness was asked for and the watermark is too old, in the future or missing.
    WatermarkExpired = 9,
    /// More step entries than `steps_capacity`.
    CapacityExceeded = 10,
    /// A bug was caught at the boundary (a panic); should never be seen.
    Internal = 11,
    /// An argument is out of range: unknown option flags, an appid together with
    /// `WERUN_OPTION_SKIP_APPID_CHECK`, a length above `PTRDIFF_MAX`, or buffers that overlap.
    InvalidArgument = 12,
}

impl From<Error> for werun_status {
    fn from(e: Error) -> Self {
        match e {
            Error::SessionKeyInvalid => werun_status::SessionKeyInvalid,
            Error::IvInvalid => werun_status::IvInvalid,
            Error::EncryptedDataInvalid => werun_status::EncryptedDataInvalid,
            Error::CiphertextLength => werun_status::CiphertextLength,
            Error::BufferTooSmall => werun_status::BufferTooSmall,
            Error::DecryptFailed => werun_status::DecryptFailed,
            Error::AppIdMismatch => werun_status::AppidMismatch,
            Error::WatermarkExpired => werun_status::WatermarkExpired,
            Error::CapacityExceeded => werun_status::CapacityExceeded,
        }
    }
}

/// Version of the ABI (function signatures, struct layouts, status and flag values) that this
/// header describes. Bindings compare it with `werun_abi_version()` when they load the library.
pub const WERUN_ABI_VERSION: u32 = 1;

/// A `werun_step` array of this many entries holds every real WeRun payload (31 entries).
pub const WERUN_DEFAULT_CAPACITY: usize = 32;
const _: () = assert!(WERUN_DEFAULT_CAPACITY == crate::DEFAULT_CAPACITY);

/// `werun_options.flags`: do not check the appid (`appid` must then be NULL). Without this flag
/// a NULL `appid` is `WERUN_STATUS_NULL_ARGUMENT`, so a zeroed `werun_options` never skips the
/// check by accident.
pub const WERUN_OPTION_SKIP_APPID_CHECK: u32 = 1;
/// `werun_options.flags`: read base64 strictly (RFC 4648, canonical) instead of repairing it.
pub const WERUN_OPTION_STRICT_BASE64: u32 = 2;
/// `werun_options.flags`: require the watermark to be at most `max_age` seconds old at `now`.
pub const WERUN_OPTION_CHECK_FRESHNESS: u32 = 4;

const KNOWN_OPTIONS: u32 =
    WERUN_OPTION_SKIP_APPID_CHECK | WERUN_OPTION_STRICT_BASE64 | WERUN_OPTION_CHECK_FRESHNESS;

/// How a payload is checked.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct werun_options {
    /// The backend's appid (`wx...`), compared byte for byte with `watermark.appid`. Need not
    /// be NUL-terminated. Must be NULL exactly when `WERUN_OPTION_SKIP_APPID_CHECK` is set.
    pub appid: *const u8,
    /// Length of `appid` in bytes.
    pub appid_len: usize,
    /// `WERUN_OPTION_*` bits; unknown bits are `WERUN_STATUS_INVALID_ARGUMENT`.
    pub flags: u32,
    /// With `WERUN_OPTION_CHECK_FRESHNESS`: the current time, Unix seconds.
    pub now: i64,
    /// With `WERUN_OPTION_CHECK_FRESHNESS`: the largest accepted watermark age, seconds.
    pub max_age: u64,
}

/// What a successful `werun_decrypt_steps*` call found besides the steps.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct werun_summary {
    /// Entries written to `out_steps` (in document order).
    pub count: usize,
    /// The watermark timestamp (Unix seconds); 0 when `has_watermark` is 0.
    pub watermark_timestamp: i64,
    /// 1 when the payload has a watermark (always, unless the appid check was skipped).
    pub has_watermark: u8,
}

/// What a successful `werun_open_data*` call found.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct werun_open_data_result {
    /// Length of the plaintext JSON, which starts at the first byte of the buffer it was
    /// decrypted in (`scratch`, or `encrypted_data` for the in-place call). Not NUL-terminated.
    pub json_len: usize,
    /// The watermark timestamp (Unix seconds); 0 when `has_watermark` is 0.
    pub watermark_timestamp: i64,
    /// 1 when the payload has a watermark.
    pub has_watermark: u8,
}

/// Runs `body`, turning a panic into `Internal` where unwinding exists (with `std`). Without
/// `std` the crate is built with `panic = "abort"`, and the bare-metal release build is checked
/// at link time to hold no reachable panic at all (see README, "Embedded").
///
/// A caught panic leaves what every other failure leaves: the body registers its writable
/// buffers in [`OnPanic`] once they passed the checks, and they are wiped (bytes) and zeroed
/// (steps) before `Internal` is returned.
///
/// The body runs in a frame of its own whose stack is scrubbed afterwards (the keys it decodes
/// are moved around in it).
fn boundary(body: impl FnOnce(&mut OnPanic) -> Result<(), werun_status>) -> werun_status {
    boundary_scrubbing::<{ crate::stack::DECRYPTION }>(body)
}

/// [`boundary`] with a scrub of `SCRUB` bytes (see `stack::C_DECRYPT_STEPS`).
fn boundary_scrubbing<const SCRUB: usize>(
    body: impl FnOnce(&mut OnPanic) -> Result<(), werun_status>,
) -> werun_status {
    let mut on_panic = OnPanic::default();
    #[cfg(feature = "std")]
    let result = crate::stack::scrubbed::<SCRUB, _>(|| {
        let caught =
            std::panic::catch_unwind(core::panic::AssertUnwindSafe(|| body(&mut on_panic)));
        caught.unwrap_or_else(|_| {
            on_panic.clean();
            Err(werun_status::Internal)
        })
    });
    #[cfg(not(feature = "std"))]
    let result = crate::stack::scrubbed::<SCRUB, _>(|| body(&mut on_panic));
    match result {
        Ok(()) => werun_status::Ok,
        Err(status) => status,
    }
}

/// The buffers a call must leave clean if it panics: its scratch (or in-place text), to wipe,
/// and its step array, to zero. Registered as raw regions that passed `Region::new` and
/// `check_disjoint`, and touched only after the body has unwound (its references are gone).
#[derive(Default)]
struct OnPanic {
    bytes: Option<(*mut u8, usize)>,
    steps: Option<(*mut StepInfo, usize)>,
}

impl OnPanic {
    fn wipe(&mut self, bytes: &Region<u8>) {
        self.bytes = Some((bytes.ptr, bytes.len));
    }

    fn zero(&mut self, steps: &Region<StepInfo>) {
        self.steps = Some((steps.ptr, steps.len));
    }

    #[cfg_attr(not(feature = "std"), allow(dead_code))]
    fn clean(&mut self) {
        if let Some((ptr, len)) = self.bytes.take() {
            // SAFETY: a region that passed `Region::new` (non-NULL or empty-dangling, aligned,
            // in size) and `check_disjoint`; the body that borrowed it has unwound.
            let bytes = unsafe { core::slice::from_raw_parts_mut(ptr, len) };
            crate::cipher::wipe(bytes);
        }
        if let Some((ptr, len)) = self.steps.take() {
            // SAFETY: as above.
            let steps = unsafe { core::slice::from_raw_parts_mut(ptr, len) };
            steps.fill(StepInfo::default());
        }
    }
}

/// A pointer and a length from C, checked.
fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], werun_status> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(werun_status::NullArgument);
    }
    if len > isize::MAX as usize {
        return Err(werun_status::InvalidArgument);
    }
    // SAFETY: non-NULL and at most isize::MAX bytes; the caller guarantees that `ptr` points to
    // `len` readable bytes that no one writes during the call (the documented contract).
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A writable region from C, checked but not yet turned into a reference, so that overlaps can
/// be refused before two `&mut` could alias.
struct Region<T> {
    ptr: *mut T,
    len: usize,
}

impl<T> Region<T> {
    /// `len` elements at `ptr` (NULL allowed only with `len == 0`).
    fn new(ptr: *mut T, len: usize) -> Result<Self, werun_status> {
        if len == 0 {
            return Ok(Region {
                ptr: core::ptr::NonNull::dangling().as_ptr(),
                len: 0,
            });
        }
        if ptr.is_null() {
            return Err(werun_status::NullArgument);
        }
        if len > isize::MAX as usize / core::mem::size_of::<T>().max(1) || !ptr.is_aligned() {
            return Err(werun_status::InvalidArgument);
        }
        Ok(Region { ptr, len })
    }

    /// One required `out_*` value.
    fn out(ptr: *mut T) -> Result<Self, werun_status> {
        if ptr.is_null() {
            return Err(werun_status::NullArgument);
        }
        Region::new(ptr, 1)
    }

    fn span(&self) -> Span {
        Span::of(self.ptr.cast_const(), self.len)
    }

    /// The region as a slice, once `check_disjoint` has accepted it.
    fn into_slice<'a>(self) -> &'a mut [T] {
        // SAFETY: `new` checked non-NULL (or an empty dangling slice), alignment and size;
        // `check_disjoint` refused overlaps with the call's other buffers; the caller guarantees
        // `len` writable `T`s that nothing else accesses during the call.
        unsafe { core::slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    fn into_mut<'a>(self) -> Result<&'a mut T, werun_status> {
        self.into_slice().first_mut().ok_or(werun_status::Internal)
    }
}

/// An address range, for overlap checks.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

impl Span {
    fn of<T>(ptr: *const T, len: usize) -> Span {
        let start = ptr as usize;
        Span {
            start,
            end: start.saturating_add(len.saturating_mul(core::mem::size_of::<T>())),
        }
    }

    fn bytes(s: &[u8]) -> Span {
        Span::of(s.as_ptr(), s.len())
    }
}

/// Refuses writable regions that overlap each other or an input (undefined behaviour for the
/// core otherwise).
fn check_disjoint(writable: &[Span], inputs: &[Span]) -> Result<(), werun_status> {
    let overlap = |a: &Span, b: &Span| {
        a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end
    };
    for (i, w) in writable.iter().enumerate() {
        let others = writable.iter().skip(i + 1).chain(inputs);
        if others.into_iter().any(|o| overlap(w, o)) {
            return Err(werun_status::InvalidArgument);
        }
    }
    Ok(())
}

/// The checked options and their appid bytes.
fn options<'a>(ptr: *const werun_options) -> Result<(Options<'a>, &'a [u8]), werun_status> {
    if !ptr.is_aligned() {
        return Err(werun_status::InvalidArgument);
    }
    // SAFETY: `as_ref` checks for NULL; the caller guarantees an aligned, readable
    // `werun_options`.
    let o = unsafe { ptr.as_ref() }.ok_or(werun_status::NullArgument)?;
    if o.flags & !KNOWN_OPTIONS != 0 {
        return Err(werun_status::InvalidArgument);
    }
    let skip = o.flags & WERUN_OPTION_SKIP_APPID_CHECK != 0;
    let (options, appid) = match (skip, o.appid.is_null()) {
        (true, true) if o.appid_len == 0 => (Options::skip_appid_check(), &[][..]),
        (true, _) => return Err(werun_status::InvalidArgument),
        (false, true) => return Err(werun_status::NullArgument),
        (false, false) => {
            let appid = input(o.appid, o.appid_len)?;
            (Options::expect_appid_bytes(appid), appid)
        }
    };
    let options = if o.flags & WERUN_OPTION_CHECK_FRESHNESS != 0 {
        options.max_age(o.now, o.max_age)
    } else {
        options
    };
    Ok((options.base64(base64_mode(o.flags)), appid))
}

fn base64_mode(flags: u32) -> Base64Mode {
    if flags & WERUN_OPTION_STRICT_BASE64 != 0 {
        Base64Mode::Strict
    } else {
        Base64Mode::Repair
    }
}

/// The decoded `session_key` and `iv`. On bare metal the key is decoded without a scrub of its
/// own: every caller runs in a boundary that scrubs the whole call, measured on the device.
fn keys(session_key: &[u8], iv: &[u8], mode: Base64Mode) -> Result<(SessionKey, Iv), Error> {
    #[cfg(target_os = "none")]
    let key = SessionKey::from_base64_unscrubbed(session_key, mode)?;
    #[cfg(not(target_os = "none"))]
    let key = SessionKey::from_base64(session_key, mode)?;
    let iv = Iv::from_base64(iv, mode)?;
    Ok((key, iv))
}

impl From<WeRunData<'_>> for werun_summary {
    fn from(d: WeRunData<'_>) -> Self {
        werun_summary {
            count: d.steps.len(),
            watermark_timestamp: d.watermark.map_or(0, |w| w.timestamp),
            has_watermark: u8::from(d.watermark.is_some()),
        }
    }
}

impl From<OpenData<'_>> for werun_open_data_result {
    fn from(d: OpenData<'_>) -> Self {
        werun_open_data_result {
            json_len: d.json.len(),
            watermark_timestamp: d.watermark.map_or(0, |w| w.timestamp),
            has_watermark: u8::from(d.watermark.is_some()),
        }
    }
}

/// Decrypts WeRun data (`encryptedData` from `wx.getWeRunData`) and writes its steps to
/// `out_steps`.
///
/// * `session_key`, `iv`, `encrypted_data`: the base64 text as the backend received it
///   (`session_key` from code2Session); lengths in bytes, no NUL terminator needed.
/// * `options`: the appid check, freshness and base64 mode; never NULL.
/// * `scratch`: at least `werun_scratch_len(encrypted_data_len)` bytes (or exactly the decoded
///   size). It is wiped before return, success or not. It must not overlap another argument.
/// * `out_steps`, `steps_capacity`: the caller's array (`WERUN_DEFAULT_CAPACITY` entries fit
///   every real payload). On any failure after the argument checks (statuses 2..=10) every
///   entry is zeroed.
/// * `out_summary`: written only on success.
///
/// Returns `WERUN_STATUS_OK`, or the first problem found in this order: arguments, session_key,
/// iv, encrypted_data (base64, length, scratch size), decryption and shape, appid, freshness,
/// capacity.
#[no_mangle]
pub extern "C" fn werun_decrypt_steps(
    session_key: *const u8,
    session_key_len: usize,
    iv: *const u8,
    iv_len: usize,
    encrypted_data: *const u8,
    encrypted_data_len: usize,
    options: *const werun_options,
    scratch: *mut u8,
    scratch_len: usize,
    out_steps: *mut StepInfo,
    steps_capacity: usize,
    out_summary: *mut werun_summary,
) -> werun_status {
    boundary_scrubbing::<{ crate::stack::C_DECRYPT_STEPS }>(move |on_panic| {
        // Filled in place, so that none of them is moved afterwards.
        let mut checked_options = Options::skip_appid_check();
        let mut key = SessionKey::from_bytes([0; 16]);
        let mut decoded_iv = Iv::from_bytes([0; 16]);
        let (session_key, iv, data, scratch, steps, summary) = checked_steps_call(
            [session_key, iv, encrypted_data],
            [session_key_len, iv_len, encrypted_data_len],
            options,
            (scratch, scratch_len),
            (out_steps, steps_capacity),
            out_summary,
            &mut checked_options,
            on_panic,
        )?;
        keys_into(
            session_key,
            iv,
            checked_options.base64_mode(),
            (&mut key, &mut decoded_iv),
        )
        .or_else(|e| crate::werun::cleared(steps, e))?;
        let data = crate::werun::decrypt_steps_unscrubbed(
            &key,
            &decoded_iv,
            data,
            &checked_options,
            scratch,
            steps,
        )?;
        *summary = data.into();
        Ok(())
    })
}

/// `werun_decrypt_steps`' checked inputs and buffers: the session_key, iv and encrypted_data
/// text, the scratch, the steps, the summary.
type StepsBuffers<'a> = (
    &'a [u8],
    &'a [u8],
    &'a [u8],
    &'a mut [u8],
    &'a mut [StepInfo],
    &'a mut werun_summary,
);

/// Checks `werun_decrypt_steps`' arguments (inputs: session_key, iv, encrypted_data), writing
/// the checked options to `checked`. On bare metal a frame of its own, which returns before the
/// keys are decoded and the data decrypted: the checks' temporaries do not sit above the AES
/// frames there.
#[allow(clippy::too_many_arguments)]
#[cfg_attr(target_os = "none", inline(never))]
fn checked_steps_call<'a>(
    [session_key, iv, encrypted_data]: [*const u8; 3],
    [session_key_len, iv_len, encrypted_data_len]: [usize; 3],
    options: *const werun_options,
    (scratch, scratch_len): (*mut u8, usize),
    (out_steps, steps_capacity): (*mut StepInfo, usize),
    out_summary: *mut werun_summary,
    checked: &mut Options<'a>,
    on_panic: &mut OnPanic,
) -> Result<StepsBuffers<'a>, werun_status> {
    let session_key = input(session_key, session_key_len)?;
    let iv = input(iv, iv_len)?;
    let data = input(encrypted_data, encrypted_data_len)?;
    let (options, appid) = self::options(options)?;
    let scratch = Region::new(scratch, scratch_len)?;
    let steps = Region::new(out_steps, steps_capacity)?;
    let summary = Region::out(out_summary)?;
    check_disjoint(
        &[scratch.span(), steps.span(), summary.span()],
        &[session_key, iv, data, appid].map(Span::bytes),
    )?;
    on_panic.wipe(&scratch);
    on_panic.zero(&steps);
    *checked = options;
    Ok((
        session_key,
        iv,
        data,
        scratch.into_slice(),
        steps.into_slice(),
        summary.into_mut()?,
    ))
}

/// [`keys`] into the caller's `SessionKey` and `Iv` (on bare metal from a frame of its own).
#[cfg_attr(target_os = "none", inline(never))]
fn keys_into(
    session_key: &[u8],
    iv: &[u8],
    mode: Base64Mode,
    (key_out, iv_out): (&mut SessionKey, &mut Iv),
) -> Result<(), Error> {
    let (key, iv) = keys(session_key, iv, mode)?;
    *key_out = key;
    *iv_out = iv;
    Ok(())
}

/// A byte string from C: `len` bytes at `ptr` (NULL allowed only with `len` 0). Used for the
/// candidate keys of `werun_decrypt_steps_with_keys`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct werun_bytes {
    /// The first byte.
    pub ptr: *const u8,
    /// How many bytes.
    pub len: usize,
}

/// Most candidate keys `werun_decrypt_steps_with_keys` tries (see its documentation).
pub const WERUN_MAX_CANDIDATE_KEYS: usize = 4;
const _: () = assert!(WERUN_MAX_CANDIDATE_KEYS == crate::MAX_CANDIDATE_KEYS);

/// The scratch size `werun_decrypt_steps_with_keys` needs for `encrypted_data_len` bytes of
/// base64: twice `werun_scratch_len` (the ciphertext, decoded once, and room to decrypt it into).
#[no_mangle]
pub extern "C" fn werun_scratch_len_with_keys(encrypted_data_len: usize) -> usize {
    crate::scratch_len_with_keys(encrypted_data_len)
}

/// `werun_decrypt_steps` with several candidate `session_key`s, for a key that was rotated by a
/// new `wx.login`: keep the previous key for a short while and pass both.
///
/// * `session_keys`, `session_key_count`: 1 to `WERUN_MAX_CANDIDATE_KEYS` base64 keys, tried in
///   this order; the first under which the data decrypts to WeRun data decides the outcome. Every
///   candidate is decoded first: one that is not base64 of 16 bytes fails the call with
///   `WERUN_STATUS_SESSION_KEY_INVALID` (a stored key that is corrupt is a bug to see, not to
///   skip). No candidate, or more than the maximum: `WERUN_STATUS_INVALID_ARGUMENT`.
/// * `scratch`: at least `werun_scratch_len_with_keys(encrypted_data_len)` bytes. The data is
///   decoded once; each candidate decrypts a copy and is parsed whatever its padding says, so a
///   failed candidate costs the same whatever the reason. Afterwards it holds nothing the
///   library wrote but zeros (a call refused before decoding leaves it untouched).
/// * `out_steps`: on success, the entries after `out_summary->count` are unspecified (zero, or
///   as they were).
/// * `out_key_index`: on success, the index of the key that worked. Written only on success.
/// * Everything else as in `werun_decrypt_steps`. When no candidate decrypts the data:
///   `WERUN_STATUS_DECRYPT_FAILED` with the same outputs whatever each candidate did.
#[no_mangle]
pub extern "C" fn werun_decrypt_steps_with_keys(
    session_keys: *const werun_bytes,
    session_key_count: usize,
    iv: *const u8,
    iv_len: usize,
    encrypted_data: *const u8,
    encrypted_data_len: usize,
    options: *const werun_options,
    scratch: *mut u8,
    scratch_len: usize,
    out_steps: *mut StepInfo,
    steps_capacity: usize,
    out_summary: *mut werun_summary,
    out_key_index: *mut usize,
) -> werun_status {
    boundary(|on_panic| {
        let entries = candidates(session_keys, session_key_count)?;
        let mut texts: [&[u8]; WERUN_MAX_CANDIDATE_KEYS] = [&[]; WERUN_MAX_CANDIDATE_KEYS];
        for (text, entry) in texts.iter_mut().zip(entries) {
            *text = input(entry.ptr, entry.len)?;
        }
        let iv = input(iv, iv_len)?;
        let data = input(encrypted_data, encrypted_data_len)?;
        let (options, appid) = self::options(options)?;
        let scratch = Region::new(scratch, scratch_len)?;
        let steps = Region::new(out_steps, steps_capacity)?;
        let summary = Region::out(out_summary)?;
        let key_index = Region::out(out_key_index)?;
        let [k0, k1, k2, k3] = texts.map(Span::bytes);
        check_disjoint(
            &[
                scratch.span(),
                steps.span(),
                summary.span(),
                key_index.span(),
            ],
            &[
                Span::of(session_keys, session_key_count),
                k0,
                k1,
                k2,
                k3,
                Span::bytes(iv),
                Span::bytes(data),
                Span::bytes(appid),
            ],
        )?;
        on_panic.wipe(&scratch);
        on_panic.zero(&steps);
        let steps = steps.into_slice();
        let mode = options.base64_mode();
        // Every candidate first, then the iv (the single-key call's order). Each slot's
        // placeholder is wiped when a decoded key replaces it.
        let mut candidates: [SessionKey; WERUN_MAX_CANDIDATE_KEYS] =
            core::array::from_fn(|_| SessionKey::from_bytes([0; 16]));
        for (slot, text) in candidates
            .iter_mut()
            .zip(&texts[..])
            .take(session_key_count)
        {
            *slot =
                SessionKey::from_base64(text, mode).or_else(|e| crate::werun::cleared(steps, e))?;
        }
        let iv = Iv::from_base64(iv, mode).or_else(|e| crate::werun::cleared(steps, e))?;
        let (index, data) = crate::werun::decrypt_steps_with_keys_unscrubbed(
            candidates.get(..session_key_count).unwrap_or(&[]),
            &iv,
            data,
            &options,
            scratch.into_slice(),
            steps,
        )?;
        *summary.into_mut()? = data.into();
        *key_index.into_mut()? = index;
        Ok(())
    })
}

/// The candidate keys' array from C, checked: 1 to `WERUN_MAX_CANDIDATE_KEYS` entries.
fn candidates<'a>(
    ptr: *const werun_bytes,
    count: usize,
) -> Result<&'a [werun_bytes], werun_status> {
    if count == 0 || count > WERUN_MAX_CANDIDATE_KEYS {
        return Err(werun_status::InvalidArgument);
    }
    if ptr.is_null() {
        return Err(werun_status::NullArgument);
    }
    if !ptr.is_aligned() {
        return Err(werun_status::InvalidArgument);
    }
    // SAFETY: non-NULL and aligned; the caller guarantees `count` (at most 4) readable
    // `werun_bytes` that no one writes during the call.
    Ok(unsafe { core::slice::from_raw_parts(ptr, count) })
}

/// `werun_decrypt_steps` without a scratch buffer: decodes and decrypts inside
/// `encrypted_data`, the caller's writable copy of the base64 text. Afterwards it holds no
/// plaintext: the bytes the ciphertext was decoded into (the first three quarters) are zeros,
/// and the rest still holds the end of the original base64 text (public data); after a base64
/// error, the text may be partly decoded. Never returns `WERUN_STATUS_BUFFER_TOO_SMALL`.
#[no_mangle]
pub extern "C" fn werun_decrypt_steps_in_place(
    session_key: *const u8,
    session_key_len: usize,
    iv: *const u8,
    iv_len: usize,
    encrypted_data: *mut u8,
    encrypted_data_len: usize,
    options: *const werun_options,
    out_steps: *mut StepInfo,
    steps_capacity: usize,
    out_summary: *mut werun_summary,
) -> werun_status {
    boundary(|on_panic| {
        let session_key = input(session_key, session_key_len)?;
        let iv = input(iv, iv_len)?;
        let (options, appid) = self::options(options)?;
        let data = Region::new(encrypted_data, encrypted_data_len)?;
        let steps = Region::new(out_steps, steps_capacity)?;
        let summary = Region::out(out_summary)?;
        check_disjoint(
            &[data.span(), steps.span(), summary.span()],
            &[session_key, iv, appid].map(Span::bytes),
        )?;
        on_panic.wipe(&data);
        on_panic.zero(&steps);
        let steps = steps.into_slice();
        let (key, iv) = keys(session_key, iv, options.base64_mode())
            .or_else(|e| crate::werun::cleared(steps, e))?;
        let data = crate::werun::decrypt_steps_in_place_unscrubbed(
            &key,
            &iv,
            data.into_slice(),
            &options,
            steps,
        )?;
        *summary.into_mut()? = data.into();
        Ok(())
    })
}

/// Decrypts any open data (phone number, user info, share info, WeRun) and verifies its
/// watermark. On success the plaintext JSON is the first `out_result->json_len` bytes of
/// `scratch` (not NUL-terminated; the caller should wipe it after use). On failure `scratch`
/// is wiped and `out_result` untouched. `scratch` as in `werun_decrypt_steps`.
#[no_mangle]
pub extern "C" fn werun_open_data(
    session_key: *const u8,
    session_key_len: usize,
    iv: *const u8,
    iv_len: usize,
    encrypted_data: *const u8,
    encrypted_data_len: usize,
    options: *const werun_options,
    scratch: *mut u8,
    scratch_len: usize,
    out_result: *mut werun_open_data_result,
) -> werun_status {
    boundary(|on_panic| {
        let session_key = input(session_key, session_key_len)?;
        let iv = input(iv, iv_len)?;
        let data = input(encrypted_data, encrypted_data_len)?;
        let (options, appid) = self::options(options)?;
        let scratch = Region::new(scratch, scratch_len)?;
        let result = Region::out(out_result)?;
        check_disjoint(
            &[scratch.span(), result.span()],
            &[session_key, iv, data, appid].map(Span::bytes),
        )?;
        on_panic.wipe(&scratch);
        let (key, iv) = keys(session_key, iv, options.base64_mode())?;
        let data =
            crate::werun::open_data_unscrubbed(&key, &iv, data, &options, scratch.into_slice())?;
        *result.into_mut()? = data.into();
        Ok(())
    })
}

/// `werun_open_data` inside `encrypted_data` (the caller's writable copy): on success the JSON
/// is its first `out_result->json_len` bytes.
#[no_mangle]
pub extern "C" fn werun_open_data_in_place(
    session_key: *const u8,
    session_key_len: usize,
    iv: *const u8,
    iv_len: usize,
    encrypted_data: *mut u8,
    encrypted_data_len: usize,
    options: *const werun_options,
    out_result: *mut werun_open_data_result,
) -> werun_status {
    boundary(|on_panic| {
        let session_key = input(session_key, session_key_len)?;
        let iv = input(iv, iv_len)?;
        let (options, appid) = self::options(options)?;
        let data = Region::new(encrypted_data, encrypted_data_len)?;
        let result = Region::out(out_result)?;
        check_disjoint(
            &[data.span(), result.span()],
            &[session_key, iv, appid].map(Span::bytes),
        )?;
        on_panic.wipe(&data);
        let (key, iv) = keys(session_key, iv, options.base64_mode())?;
        let data =
            crate::werun::open_data_in_place_unscrubbed(&key, &iv, data.into_slice(), &options)?;
        *result.into_mut()? = data.into();
        Ok(())
    })
}

/// For server logs only: names the likely cause of a `WERUN_STATUS_DECRYPT_FAILED` (stale
/// session_key, wrong iv, not WeRun data, ...) as a `werun_diagnosis` value in
/// `out_diagnosis`, written only on success. **Never return it to a client**: telling these
/// causes apart is a padding oracle that lets a client forge step counts. Not constant time
/// (its time depends on the plaintext): call it off the request path, never where a client can
/// time it.
///
/// `flags` takes `WERUN_OPTION_STRICT_BASE64` only. `scratch` as in `werun_decrypt_steps`.
/// Fails only for arguments and inputs that cannot be decrypted at all (base64, length,
/// scratch size).
#[no_mangle]
pub extern "C" fn werun_diagnose(
    session_key: *const u8,
    session_key_len: usize,
    iv: *const u8,
    iv_len: usize,
    encrypted_data: *const u8,
    encrypted_data_len: usize,
    flags: u32,
    scratch: *mut u8,
    scratch_len: usize,
    out_diagnosis: *mut u32,
) -> werun_status {
    boundary(|on_panic| {
        let session_key = input(session_key, session_key_len)?;
        let iv = input(iv, iv_len)?;
        let data = input(encrypted_data, encrypted_data_len)?;
        if flags & !WERUN_OPTION_STRICT_BASE64 != 0 {
            return Err(werun_status::InvalidArgument);
        }
        let scratch = Region::new(scratch, scratch_len)?;
        let diagnosis = Region::out(out_diagnosis)?;
        check_disjoint(
            &[scratch.span(), diagnosis.span()],
            &[session_key, iv, data].map(Span::bytes),
        )?;
        let mode = base64_mode(flags);
        on_panic.wipe(&scratch);
        let (key, iv) = keys(session_key, iv, mode)?;
        let found =
            crate::diagnose::diagnose_unscrubbed(&key, &iv, data, mode, scratch.into_slice())?;
        *diagnosis.into_mut()? = found.code();
        Ok(())
    })
}

/// The code WeChat's official `WXBizDataCrypt` sample returns for the same input, for backends
/// that replace it: 0 for `WERUN_STATUS_OK`; -41001 (`IllegalAesKey`) for
/// `SESSION_KEY_INVALID`; -41002 (`IllegalIv`) for `IV_INVALID`; -41004 (`DecodeBase64Error`)
/// for `ENCRYPTED_DATA_INVALID`; -41003 (`IllegalBuffer`) for `CIPHERTEXT_LENGTH`,
/// `DECRYPT_FAILED` and `APPID_MISMATCH`. Statuses with no counterpart (the sample has no such
/// argument or check: `NULL_ARGUMENT`, `BUFFER_TOO_SMALL`, `WATERMARK_EXPIRED`,
/// `CAPACITY_EXCEEDED`, `INTERNAL`, `INVALID_ARGUMENT`) and unknown values map to -41003, the
/// sample's catch-all failure.
#[no_mangle]
pub extern "C" fn werun_status_wx_code(status: u32) -> i32 {
    match Error::from_code(status) {
        Some(e) => e.wx_code(),
        None if status == werun_status::Ok as u32 => 0,
        None => crate::error::WX_ILLEGAL_BUFFER,
    }
}

/// A static, NUL-terminated message for a `werun_status` value, with advice. Unknown values
/// get a message too (never NULL).
#[no_mangle]
pub extern "C" fn werun_status_str(status: u32) -> *const c_char {
    let message: &'static core::ffi::CStr = match status {
        0 => c"success",
        1 => c"a required pointer argument is NULL",
        11 => c"internal error in werun (a bug): please report it",
        12 => c"an argument is out of range: unknown option flags, an appid together with WERUN_OPTION_SKIP_APPID_CHECK, a length above PTRDIFF_MAX, or overlapping buffers",
        code => match Error::from_code(code) {
            Some(e) => e.c_message(),
            None => c"unknown werun status",
        },
    };
    message.as_ptr()
}

/// A static, NUL-terminated explanation of a `werun_diagnosis` value (unknown values too).
#[no_mangle]
pub extern "C" fn werun_diagnosis_str(diagnosis: u32) -> *const c_char {
    match Diagnosis::from_code(diagnosis) {
        Some(d) => d.c_message().as_ptr(),
        None => c"unknown werun diagnosis".as_ptr(),
    }
}

/// The scratch size `werun_decrypt_steps` and friends can need for `encrypted_data_len` bytes
/// of base64 (about 3/4 of it).
#[no_mangle]
pub extern "C" fn werun_scratch_len(encrypted_data_len: usize) -> usize {
    crate::scratch_len(encrypted_data_len)
}

/// `WERUN_ABI_VERSION` of the library actually loaded.
#[no_mangle]
pub extern "C" fn werun_abi_version() -> u32 {
    WERUN_ABI_VERSION
}

/// The library version, a static NUL-terminated string such as `"0.1.0"`.
#[no_mangle]
pub extern "C" fn werun_version() -> *const c_char {
    const VERSION: &core::ffi::CStr = match core::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };
    VERSION.as_ptr()
}

/// `werun_diagnosis` values, as named constants for C.
pub mod diagnosis {
    /// See `Diagnosis::WeRunData`.
    pub const WERUN_DIAGNOSIS_WERUN_DATA: u32 = 0;
    /// See `Diagnosis::NotWeRunData`.
    pub const WERUN_DIAGNOSIS_NOT_WERUN_DATA: u32 = 1;
    /// See `Diagnosis::SessionKeyMismatch`.
    pub const WERUN_DIAGNOSIS_SESSION_KEY_MISMATCH: u32 = 2;
    /// See `Diagnosis::IvMismatch`.
    pub const WERUN_DIAGNOSIS_IV_MISMATCH: u32 = 3;
    /// See `Diagnosis::Garbled`.
    pub const WERUN_DIAGNOSIS_GARBLED: u32 = 4;
    /// See `Diagnosis::Truncated`.
    pub const WERUN_DIAGNOSIS_TRUNCATED: u32 = 5;
}

#[cfg(all(test, feature = "std"))]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    /// A panic caught at the boundary leaves what every other failure leaves: the registered
    /// buffers wiped and zeroed (from a non-zero pattern), and `Internal`.
    #[test]
    fn a_caught_panic_wipes_the_scratch_and_zeroes_the_steps() {
        let mut scratch = [0xA5u8; 64];
        let mut steps = [StepInfo {
            timestamp: 0x5A5A_5A5A,
            step: 0xA5A5_A5A5,
        }; 4];
        let (sp, sl) = (scratch.as_mut_ptr(), scratch.len());
        let (tp, tl) = (steps.as_mut_ptr(), steps.len());
        let status = boundary(|on_panic| {
            let scratch = Region::new(sp, sl)?;
            let steps = Region::new(tp, tl)?;
            on_panic.wipe(&scratch);
            on_panic.zero(&steps);
            panic!("a bug");
        });
        assert_eq!(status, werun_status::Internal);
        assert_eq!(scratch, [0u8; 64]);
        assert_eq!(steps, [StepInfo::default(); 4]);
    }

    /// Without a registration (a panic before the checks passed), nothing is written.
    #[test]
    fn a_panic_before_the_checks_writes_nothing() {
        let scratch = [0xA5u8; 16];
        let status = boundary(|_| panic!("a bug"));
        assert_eq!(status, werun_status::Internal);
        assert_eq!(scratch, [0xA5u8; 16]);
    }
}
