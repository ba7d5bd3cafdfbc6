//! The C ABI, called from Rust the way C calls it: pointers into fuzz-derived buffers of exactly
//! the given lengths (so that a sanitizer sees any access outside them), arbitrary lengths and
//! capacities, NULL pointers, lengths above `PTRDIFF_MAX`, misaligned and overlapping buffers,
//! unknown flags. Every call must return a status that its function can return, never
//! `INTERNAL`, with the library's message for it, and:
//!
//! * argument errors (NULL, overlap, misalignment, huge lengths) come back as
//!   `NULL_ARGUMENT`/`INVALID_ARGUMENT`, and those two only for such arguments;
//! * with sound arguments the status and the output equal the safe Rust API's;
//! * `out_summary`/`out_result`/`out_diagnosis` are untouched on failure; the step array is
//!   all zero after statuses 2..=10 (also those found before decryption: key, iv, base64,
//!   length, scratch size), untouched after an argument error, never written past
//!   `steps_capacity`, and never written by the calls that take no step array;
//! * the scratch buffer only ever holds its old bytes or zeros afterwards (no ciphertext, no
//!   plaintext), except the JSON that a successful `werun_open_data` hands back; the in-place
//!   buffer holds its old text or zeros.
#![no_main]

mod common;

use common::{b64, damage, encrypt_blocks, pkcs7, APPID, IV, KEY};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use std::ffi::{c_char, CStr};
use werun::ffi::*;
use werun::{Base64Mode, Diagnosis, Error, Iv, Options, SessionKey, StepInfo};

#[derive(Arbitrary, Debug)]
enum Text {
    /// Bytes as given.
    Raw(Vec<u8>),
    /// The fixed key (or IV) in base64, damaged as `common::damage` does.
    Fixed(u8),
}

#[derive(Arbitrary, Debug)]
enum Data {
    Raw(Vec<u8>),
    /// The plaintext padded, encrypted under the fixed key and IV, encoded and damaged.
    Encrypted(Vec<u8>, u8),
    /// A well-formed WeRun document (so that success paths are reached), encrypted as above.
    Document {
        entries: u8,
        watermark: Option<(i64, bool)>,
        damage: u8,
    },
}

/// A compact WeRun document with `entries` entries and, if asked, a watermark for `APPID` (or
/// another appid).
fn document(entries: u8, watermark: Option<(i64, bool)>) -> Vec<u8> {
    let list: Vec<String> = (0..i64::from(entries % 40))
        .map(|i| {
            format!(
                "{{\"timestamp\":{},\"step\":{}}}",
                1_717_171_200 + 86_400 * i,
                i * 977
            )
        })
        .collect();
    let mut text = format!("{{\"stepInfoList\":[{}]", list.join(","));
    if let Some((timestamp, ours)) = watermark {
        let appid = if ours { APPID } else { "wx0000000000000000" };
        text += &format!(",\"watermark\":{{\"timestamp\":{timestamp},\"appid\":\"{appid}\"}}");
    }
    (text + "}").into_bytes()
}

#[derive(Arbitrary, Debug)]
struct Input {
    function: u8,
    key: Text,
    iv: Text,
    data: Data,
    appid: Option<Vec<u8>>,
    use_fixed_appid: bool,
    flags: u32,
    now: i64,
    max_age: u64,
    scratch: u8,
    steps_capacity: u8,
    /// Bit i: pass NULL for pointer i (key, iv, data, options, scratch, steps, out).
    nulls: u8,
    /// Bit i: pass a length above PTRDIFF_MAX for length i (key, iv, data, appid, scratch, steps).
    huge: u8,
    /// 0: disjoint buffers; 1: scratch over the data; 2: out over scratch; 3: misaligned steps;
    /// 4: steps over scratch; 5: appid inside scratch; 6: session_key inside scratch; 7: iv
    /// inside the (in-place) data buffer.
    alias: u8,
    status: u32,
    diagnosis: u32,
}

fn text(t: &Text, fixed: &[u8; 16]) -> Vec<u8> {
    match t {
        Text::Raw(b) => b.clone(),
        Text::Fixed(how) => damage(&b64(fixed), *how & 0xF).into_bytes(),
    }
}

const KNOWN_FLAGS: u32 =
    WERUN_OPTION_SKIP_APPID_CHECK | WERUN_OPTION_STRICT_BASE64 | WERUN_OPTION_CHECK_FRESHNESS;
const PREFILL: u8 = 0xA5;
const STEP_PREFILL: StepInfo = StepInfo {
    timestamp: 0x0123_4567,
    step: 0x89AB,
};

/// The statuses each function can return (`function` as in `Input::function`): every one but
/// `INTERNAL`, less what the function cannot see (no scratch in place, no step array for open
/// data, no appid, freshness or capacity for `werun_diagnose`, which reports decryption
/// failures as a diagnosis).
fn possible(function: u8, s: werun_status) -> bool {
    use werun_status::*;
    match s {
        Internal => false,
        BufferTooSmall => matches!(function, 0 | 2 | 4),
        CapacityExceeded => function <= 1,
        DecryptFailed | AppidMismatch | WatermarkExpired => function <= 3,
        _ => true,
    }
}

/// The text behind a message pointer (which must be a valid NUL-terminated UTF-8 string).
fn message(p: *const c_char) -> &'static str {
    assert!(!p.is_null());
    // SAFETY: werun_status_str and werun_diagnosis_str return static NUL-terminated strings.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

/// `werun_status_str(code)`: the Rust error's message for 2..=10, its own message for the
/// C-only statuses, the unknown message for anything else.
fn check_status_message(code: u32) {
    let m = message(werun_status_str(code));
    match code {
        2..=10 => assert_eq!(m, Error::from_code(code).unwrap().message()),
        0 | 1 | 11 | 12 => {
            assert!(m.len() > 5 && m != "unknown werun status", "{code}: {m}");
            assert_ne!(m, message(werun_status_str(if code == 0 { 1 } else { 0 })));
        }
        _ => assert_eq!(m, "unknown werun status"),
    }
}

fn check_diagnosis_message(code: u32) {
    let m = message(werun_diagnosis_str(code));
    match Diagnosis::from_code(code) {
        Some(d) => assert_eq!(m, d.message()),
        None => assert_eq!(m, "unknown werun diagnosis"),
    }
}

fn is_argument_error(s: werun_status) -> bool {
    matches!(
        s,
        werun_status::NullArgument | werun_status::InvalidArgument
    )
}

/// `ptr`, or NULL when bit `i` of `nulls` is set.
fn nul<T>(nulls: u8, i: u32, ptr: *const T) -> *const T {
    if nulls >> i & 1 != 0 {
        core::ptr::null()
    } else {
        ptr
    }
}

fn nul_mut<T>(nulls: u8, i: u32, ptr: *mut T) -> *mut T {
    nul(nulls, i, ptr).cast_mut()
}

fn len(huge: u8, i: u32, n: usize) -> usize {
    if huge >> i & 1 != 0 {
        usize::MAX - n
    } else {
        n
    }
}

fuzz_target!(|input: Input| {
    let key = text(&input.key, &KEY);
    let iv = text(&input.iv, &IV);
    let data = match &input.data {
        Data::Raw(b) => b.clone(),
        Data::Encrypted(plain, how) => {
            damage(&b64(&encrypt_blocks(&KEY, &IV, &pkcs7(plain))), *how & 0xF).into_bytes()
        }
        Data::Document {
            entries,
            watermark,
            damage: how,
        } => {
            let plain = document(*entries, *watermark);
            damage(&b64(&encrypt_blocks(&KEY, &IV, &pkcs7(&plain))), *how & 0xF).into_bytes()
        }
    };
    let appid = if input.use_fixed_appid {
        Some(APPID.as_bytes().to_vec())
    } else {
        input.appid.clone()
    };
    let scratch_len = if input.scratch & 0x80 != 0 {
        usize::from(input.scratch & 0x7F)
    } else {
        werun_scratch_len(data.len()).saturating_sub(usize::from(input.scratch % 4))
    };
    let steps_capacity = usize::from(input.steps_capacity % 40);
    let (nulls, huge) = (input.nulls & 0x7F, input.huge & 0x3F);
    let alias = match input.alias % 8 {
        1 if data.is_empty() => 0, // an empty data buffer has no address to overlap
        a => a,
    };

    // The buffers: exact sizes; the in-place functions write into `data_buf`.
    let mut data_buf = data.clone();
    // Exactly `scratch_len` bytes, unless other arguments are placed inside it.
    let scratch_alloc = if matches!(alias, 2 | 4 | 5 | 6) {
        scratch_len.max(1024)
    } else {
        scratch_len
    };
    let mut scratch = vec![PREFILL; scratch_alloc];
    let mut steps = vec![STEP_PREFILL; steps_capacity + 1];
    let appid_ptr = match (&appid, alias) {
        (Some(a), 5) if !a.is_empty() && a.len() <= scratch.len() => {
            scratch[..a.len()].copy_from_slice(a);
            scratch.as_ptr()
        }
        (Some(a), _) => a.as_ptr(),
        (None, _) => core::ptr::null(),
    };
    let appid_len = appid.as_ref().map_or(0, Vec::len);
    let appid_in_scratch = alias == 5
        && appid
            .as_ref()
            .is_some_and(|a| !a.is_empty() && a.len() <= scratch.len());
    // The key at the start of the scratch buffer, the IV at the start of the data buffer.
    let key_in_scratch = alias == 6 && !key.is_empty() && key.len() <= scratch.len();
    let key_ptr = if key_in_scratch {
        scratch[..key.len()].copy_from_slice(&key);
        scratch.as_ptr()
    } else {
        key.as_ptr()
    };
    let iv_in_data = alias == 7 && !iv.is_empty() && iv.len() <= data_buf.len();
    let iv_ptr = if iv_in_data {
        data_buf[..iv.len()].copy_from_slice(&iv);
        data_buf.as_ptr()
    } else {
        iv.as_ptr()
    };
    let options = werun_options {
        appid: appid_ptr,
        appid_len: len(huge, 3, appid_len),
        flags: input.flags,
        now: input.now,
        max_age: input.max_age,
    };
    let sound_options = input.flags & !KNOWN_FLAGS == 0
        && (input.flags & WERUN_OPTION_SKIP_APPID_CHECK != 0) == appid.is_none();
    let sound = nulls == 0 && huge == 0 && alias == 0 && sound_options;

    let summary_prefill = werun_summary {
        count: 77,
        watermark_timestamp: 88,
        has_watermark: 99,
    };
    let mut summary = summary_prefill;
    let result_prefill = werun_open_data_result {
        json_len: 77,
        watermark_timestamp: 88,
        has_watermark: 99,
    };
    let mut result = result_prefill;
    let mut diagnosis = 0xDEAD_u32;

    let scratch_ptr = scratch.as_mut_ptr();
    let (data_ptr, data_mut) = (data_buf.as_ptr(), data_buf.as_mut_ptr());
    let scratch_arg = if alias == 1 { data_mut } else { scratch_ptr };
    let steps_arg: *mut StepInfo = match alias {
        // SAFETY (harness): one byte past an aligned buffer is still inside it, only misaligned.
        3 => steps.as_mut_ptr().cast::<u8>().wrapping_add(1).cast(),
        4 => scratch_ptr.cast(),
        _ => steps.as_mut_ptr(),
    };
    let summary_arg: *mut werun_summary = if alias == 2 {
        scratch_ptr.cast()
    } else {
        &mut summary
    };
    let result_arg: *mut werun_open_data_result = if alias == 2 {
        scratch_ptr.cast()
    } else {
        &mut result
    };
    let diagnosis_arg: *mut u32 = if alias == 2 {
        scratch_ptr.cast()
    } else {
        &mut diagnosis
    };
    let key_arg = (nul(nulls, 0, key_ptr), len(huge, 0, key.len()));
    let iv_arg = (nul(nulls, 1, iv_ptr), len(huge, 1, iv.len()));
    let data_arg = (nul(nulls, 2, data_ptr), len(huge, 2, data.len()));
    let options_arg: *const werun_options = nul(nulls, 3, &options);
    let scratch_arg = (nul_mut(nulls, 4, scratch_arg), len(huge, 4, scratch_len));
    let steps_arg = (nul_mut(nulls, 5, steps_arg), len(huge, 5, steps_capacity));
    let function = input.function % 5;
    let in_place_data = (nul_mut(nulls, 2, data_mut), data_arg.1);

    let status = match function {
        0 => werun_decrypt_steps(
            key_arg.0,
            key_arg.1,
            iv_arg.0,
            iv_arg.1,
            data_arg.0,
            data_arg.1,
            options_arg,
            scratch_arg.0,
            scratch_arg.1,
            steps_arg.0,
            steps_arg.1,
            nul_mut(nulls, 6, summary_arg),
        ),
        1 => werun_decrypt_steps_in_place(
            key_arg.0,
            key_arg.1,
            iv_arg.0,
            iv_arg.1,
            in_place_data.0,
            in_place_data.1,
            options_arg,
            steps_arg.0,
            steps_arg.1,
            nul_mut(nulls, 6, summary_arg),
        ),
        2 => werun_open_data(
            key_arg.0,
            key_arg.1,
            iv_arg.0,
            iv_arg.1,
            data_arg.0,
            data_arg.1,
            options_arg,
            scratch_arg.0,
            scratch_arg.1,
            nul_mut(nulls, 6, result_arg),
        ),
        3 => werun_open_data_in_place(
            key_arg.0,
            key_arg.1,
            iv_arg.0,
            iv_arg.1,
            in_place_data.0,
            in_place_data.1,
            options_arg,
            nul_mut(nulls, 6, result_arg),
        ),
        _ => werun_diagnose(
            key_arg.0,
            key_arg.1,
            iv_arg.0,
            iv_arg.1,
            data_arg.0,
            data_arg.1,
            input.flags & 0x7,
            scratch_arg.0,
            scratch_arg.1,
            nul_mut(nulls, 6, diagnosis_arg),
        ),
    };
    assert!(
        possible(function, status),
        "function {function} returned {status:?}"
    );
    check_status_message(status as u32);
    check_status_message(input.status);
    check_diagnosis_message(input.diagnosis);
    assert_eq!(werun_abi_version(), WERUN_ABI_VERSION);
    assert_eq!(message(werun_version()).split('.').count(), 3);
    assert!(werun_scratch_len(data.len()) >= data.len() / 4 * 3);

    // The argument errors only for such arguments.
    let skip = input.flags & WERUN_OPTION_SKIP_APPID_CHECK != 0;
    if status == werun_status::NullArgument {
        assert!(
            nulls != 0 || (function != 4 && !skip && appid.is_none()),
            "NULL_ARGUMENT without a NULL"
        );
    }
    if status == werun_status::InvalidArgument {
        let bad_flags = if function == 4 {
            input.flags & 0x7 & !WERUN_OPTION_STRICT_BASE64 != 0
        } else {
            !sound_options
        };
        assert!(
            huge != 0 || alias != 0 || bad_flags,
            "INVALID_ARGUMENT for sound arguments"
        );
    }

    // Broken arguments are refused as such.
    let lengths = [
        key.len(),
        iv.len(),
        data.len(),
        appid_len,
        scratch_len,
        steps_capacity,
    ];
    let used_lengths: &[usize] = match function {
        0 => &[0, 1, 2, 3, 4, 5],
        1 => &[0, 1, 2, 3, 5],
        2 => &[0, 1, 2, 3, 4],
        3 => &[0, 1, 2, 3],
        _ => &[0, 1, 2, 4],
    };
    if used_lengths.iter().any(|&i| huge >> i & 1 != 0) {
        assert!(is_argument_error(status), "huge length: {status:?}");
    }
    if nulls & 0b1111 != 0
        && lengths
            .iter()
            .take(3)
            .enumerate()
            .any(|(i, &n)| n > 0 && nulls >> i & 1 != 0)
    {
        assert!(is_argument_error(status), "NULL input: {status:?}");
    }
    if nulls >> 3 & 1 != 0 && function != 4 {
        assert!(is_argument_error(status), "NULL options: {status:?}");
    }
    if nulls >> 6 & 1 != 0 {
        assert!(is_argument_error(status), "NULL out: {status:?}");
    }
    let overlapping = match (alias, function) {
        (1, 0 | 2 | 4) => scratch_len > 0 && !data.is_empty(),
        (2, 0 | 2 | 4) => scratch_len > 0,
        (3, 0 | 1) => steps_capacity > 0,
        (4, 0) => steps_capacity > 0 && scratch_len > 0,
        (5, 0 | 2) => appid_in_scratch && scratch_len > 0,
        (6, 0 | 2 | 4) => key_in_scratch && scratch_len > 0,
        (7, 1 | 3) => iv_in_data,
        _ => false,
    };
    if overlapping {
        assert!(
            is_argument_error(status),
            "overlap or misalignment: {status:?}"
        );
    }

    // No partial or stale results.
    if status != werun_status::Ok {
        assert_eq!(summary.count, summary_prefill.count);
        assert_eq!(
            summary.watermark_timestamp,
            summary_prefill.watermark_timestamp
        );
        assert_eq!(summary.has_watermark, summary_prefill.has_watermark);
        assert_eq!(result.json_len, result_prefill.json_len);
        assert_eq!(
            result.watermark_timestamp,
            result_prefill.watermark_timestamp
        );
        assert_eq!(result.has_watermark, result_prefill.has_watermark);
        assert_eq!(diagnosis, 0xDEAD);
    }
    // The step array (when `steps` is the array passed: not when it lies in the scratch buffer)
    // is zeroed on every failure from the key on, untouched on an argument error.
    let steps_passed = function <= 1 && alias != 4;
    let used = &steps[..steps_capacity];
    if !steps_passed {
        assert!(
            used.iter().all(|s| *s == STEP_PREFILL),
            "steps written by a call that was not given them"
        );
    } else if (2..=10).contains(&(status as u32)) {
        assert!(
            used.iter().all(|s| *s == StepInfo::default()),
            "steps not zeroed on failure: {status:?}"
        );
    } else if status != werun_status::Ok {
        assert!(
            used.iter().all(|s| *s == STEP_PREFILL),
            "steps written on an argument error: {status:?}"
        );
    }
    assert_eq!(
        steps[steps_capacity], STEP_PREFILL,
        "wrote past steps_capacity"
    );
    if alias == 0 {
        let keep = match (function, status) {
            (2, werun_status::Ok) => result.json_len,
            _ => 0,
        };
        assert!(
            scratch[keep..].iter().all(|&b| b == 0 || b == PREFILL),
            "scratch holds data after the call"
        );
        // After decryption (success or a failure from decryption on) the in-place buffer holds
        // its old text or zeros; before it, at most public ciphertext.
        let decrypted = matches!(status as u32, 0 | 7..=10);
        if matches!(function, 1 | 3) && decrypted {
            let keep = if function == 3 && status == werun_status::Ok {
                result.json_len
            } else {
                0
            };
            assert!(
                data_buf[keep..]
                    .iter()
                    .zip(&data[keep..])
                    .all(|(&b, &o)| b == 0 || b == o),
                "in-place buffer holds data after the call"
            );
        }
    }

    // Sound arguments: the C ABI answers exactly as the Rust API.
    if !sound || function == 4 {
        return;
    }
    let mode = if input.flags & WERUN_OPTION_STRICT_BASE64 != 0 {
        Base64Mode::Strict
    } else {
        Base64Mode::Repair
    };
    let opts = match &appid {
        Some(a) => Options::expect_appid_bytes(a),
        None => Options::skip_appid_check(),
    }
    .base64(mode);
    let opts = if input.flags & WERUN_OPTION_CHECK_FRESHNESS != 0 {
        opts.max_age(input.now, input.max_age)
    } else {
        opts
    };
    let expected: Result<(usize, i64, u8, Vec<StepInfo>), Error> = (|| {
        let k = SessionKey::from_base64(&key, mode)?;
        let i = Iv::from_base64(&iv, mode)?;
        let mut s = vec![0u8; scratch_len];
        let mut out = vec![StepInfo::default(); steps_capacity];
        let mut copy = data.clone();
        match function {
            0 | 1 => {
                let d = if function == 0 {
                    werun::decrypt_steps(&k, &i, &data, &opts, &mut s, &mut out)?
                } else {
                    werun::decrypt_steps_in_place(&k, &i, &mut copy, &opts, &mut out)?
                };
                let ts = d.watermark.map_or(0, |w| w.timestamp);
                Ok((
                    d.steps.len(),
                    ts,
                    u8::from(d.watermark.is_some()),
                    d.steps.to_vec(),
                ))
            }
            _ => {
                let d = if function == 2 {
                    werun::open_data(&k, &i, &data, &opts, &mut s)?
                } else {
                    werun::open_data_in_place(&k, &i, &mut copy, &opts)?
                };
                let ts = d.watermark.map_or(0, |w| w.timestamp);
                Ok((d.json.len(), ts, u8::from(d.watermark.is_some()), vec![]))
            }
        }
    })();
    match expected {
        Err(e) => assert_eq!(status, werun_status::from(e), "C ABI differs from Rust API"),
        Ok((n, ts, has, entries)) => {
            assert_eq!(
                status,
                werun_status::Ok,
                "C ABI failed where Rust succeeded"
            );
            if function <= 1 {
                assert_eq!(
                    (
                        summary.count,
                        summary.watermark_timestamp,
                        summary.has_watermark
                    ),
                    (n, ts, has)
                );
                assert_eq!(&steps[..n], &entries[..]);
            } else {
                assert_eq!(
                    (
                        result.json_len,
                        result.watermark_timestamp,
                        result.has_watermark
                    ),
                    (n, ts, has)
                );
            }
        }
    }
});
