//! No padding oracle through the API: bad padding, invalid UTF-8, invalid JSON and the wrong
//! shape are one status with one message and the same observable output, through every entry
//! point (the Rust functions and the C ABI called from Rust). The constant-time check of the
//! padding itself is `tests/ct/run.sh` (instruction counts under callgrind), run by
//! `fuzz/smoke.sh`.

#[path = "vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use generate::{b64, pkcs7};
use std::ffi::CStr;
mod common;

use werun::ffi::*;
use werun::{
    decrypt_steps, decrypt_steps_in_place, diagnose, open_data, open_data_in_place, Base64Mode,
    Diagnosis, Error, Iv, Options, SessionKey, StepInfo, Steps,
};

/// `DecryptFailed`'s message, written out here rather than taken from the library's table, so
/// that the comparisons below check the text a caller sees.
const DECRYPT_FAILED_MESSAGE: &str = "decryption failed: the session_key is stale or belongs to \
    another login, or the iv or data do not belong together; call wx.login before \
    wx.getWeRunData and use the session_key it produced";

const KEY: [u8; 16] = *b"oracle-test-key!";
const IV: [u8; 16] = *b"oracle-test-iv!!";
const APPID: &str = "wx4f4bc4dec97d474b";

/// Encrypts whole blocks as they are (the caller chooses the padding, good or bad).
fn encrypt(blocks: &[u8]) -> String {
    b64(&generate::encrypt_blocks(&KEY, &IV, blocks))
}

const GOOD: &str = r#"{"stepInfoList":[{"timestamp":1717171200,"step":1234}],"watermark":{"timestamp":1717171300,"appid":"wx4f4bc4dec97d474b"}}"#;

/// One failing payload per cause: (cause, encryptedData, whether `open_data` fails too (it
/// accepts any object, so WeRun-specific shape errors pass it), what `diagnose` must say).
fn failures() -> Vec<(&'static str, String, bool, Diagnosis)> {
    let good = GOOD.as_bytes();
    let mut bad_count = pkcs7(good);
    *bad_count.last_mut().unwrap() = 0;
    let mut count_17 = pkcs7(good);
    *count_17.last_mut().unwrap() = 17;
    // Cut so that the padding is 6 (resp. 12) bytes, then spoil one of them.
    let cut = |rest: usize| (good.len() - 16) / 16 * 16 + rest;
    let mut unequal = pkcs7(&good[..cut(10)]);
    let n = unequal.len();
    assert_eq!(unequal[n - 1], 6);
    unequal[n - 3] ^= 1;
    let mut first_pad_byte_wrong = pkcs7(&good[..cut(4)]);
    let n = first_pad_byte_wrong.len();
    assert_eq!(first_pad_byte_wrong[n - 1], 12);
    first_pad_byte_wrong[n - 12] ^= 0x80;
    let not_utf8 = GOOD.replace("wx4f4bc4dec97d474b", "wx4f4bc4dec97d47\u{1}");
    let mut not_utf8 = not_utf8.into_bytes();
    let at = not_utf8.iter().position(|&b| b == 1).unwrap();
    not_utf8[at] = 0xFF;
    use Diagnosis::{Garbled, NotWeRunData, SessionKeyMismatch, Truncated};
    vec![
        (
            "padding count 0",
            encrypt(&bad_count),
            true,
            SessionKeyMismatch,
        ),
        (
            "padding count 17",
            encrypt(&count_17),
            true,
            SessionKeyMismatch,
        ),
        (
            "padding bytes unequal",
            encrypt(&unequal),
            true,
            SessionKeyMismatch,
        ),
        (
            "padding first byte wrong",
            encrypt(&first_pad_byte_wrong),
            true,
            SessionKeyMismatch,
        ),
        // Valid padding, a readable first block: the text itself is broken.
        ("not UTF-8", encrypt(&pkcs7(&not_utf8)), true, Garbled),
        // The document without its last '}': JSON cut short.
        (
            "not JSON",
            encrypt(&pkcs7(&good[..good.len() - 1])),
            true,
            Truncated,
        ),
        (
            "trailing garbage",
            encrypt(&pkcs7(&[good, b"x"].concat())),
            true,
            Garbled,
        ),
        // Well-formed JSON, not the WeRun shape.
        (
            "not an object",
            encrypt(&pkcs7(b"[1,2,3]")),
            true,
            NotWeRunData,
        ),
        (
            "shape: no stepInfoList",
            encrypt(&pkcs7(
                br#"{"watermark":{"timestamp":1717171300,"appid":"wx4f4bc4dec97d474b"}}"#,
            )),
            false,
            NotWeRunData,
        ),
        (
            "shape: step is a string",
            encrypt(&pkcs7(GOOD.replace("1234", "\"1234\"").as_bytes())),
            false,
            NotWeRunData,
        ),
        (
            "shape: watermark without appid",
            encrypt(&pkcs7(
                br#"{"stepInfoList":[],"watermark":{"timestamp":1717171300}}"#,
            )),
            true,
            NotWeRunData,
        ),
    ]
}

/// What a caller can observe after a failed call: status, message, and every output.
#[derive(Debug, PartialEq)]
struct Observed {
    status: u32,
    message: String,
    steps: Vec<StepInfo>,
    scratch_nonzero: usize,
}

fn rust_failed(e: Error, steps: &[StepInfo], scratch: &[u8]) -> Observed {
    Observed {
        status: e.code(),
        message: e.to_string(),
        steps: steps.to_vec(),
        scratch_nonzero: scratch.iter().filter(|&&b| b != 0).count(),
    }
}

fn c_failed(status: werun_status, steps: &[StepInfo], scratch: &[u8]) -> Observed {
    // SAFETY: werun_status_str returns a static NUL-terminated string.
    let message = unsafe { CStr::from_ptr(werun_status_str(status as u32)) };
    Observed {
        status: status as u32,
        message: message.to_str().unwrap().to_string(),
        steps: steps.to_vec(),
        scratch_nonzero: scratch.iter().filter(|&&b| b != 0).count(),
    }
}

/// Every entry point on one payload: (api, observed) for each call that must fail.
fn every_api(data: &str, werun_only: bool) -> Vec<(&'static str, Observed)> {
    let key = SessionKey::from_bytes(KEY);
    let iv = Iv::from_bytes(IV);
    let options = Options::expect_appid(APPID);
    let mut seen = Vec::new();
    // The step arrays start non-zero, so that "zeroed" is something the call did.
    let fresh = || {
        (
            vec![0u8; werun::scratch_len(data.len())],
            vec![common::STEP_PATTERN; 4],
            data.as_bytes().to_vec(),
        )
    };
    // What the calls without a step array show of one: nothing.
    let no_steps: Vec<StepInfo> = vec![StepInfo::default(); 4];

    let (mut scratch, mut steps, _) = fresh();
    let e = decrypt_steps(
        &key,
        &iv,
        data.as_bytes(),
        &options,
        &mut scratch,
        &mut steps,
    )
    .unwrap_err();
    seen.push(("decrypt_steps", rust_failed(e, &steps, &scratch)));

    let (scratch, mut steps, mut copy) = fresh();
    let e = decrypt_steps_in_place(&key, &iv, &mut copy, &options, &mut steps).unwrap_err();
    let decoded = data.len() / 4 * 3; // the decoded prefix of the in-place buffer
    let mut view = copy[..decoded.min(copy.len())].to_vec();
    view.truncate(view.len() / 16 * 16);
    seen.push((
        "decrypt_steps_in_place",
        rust_failed(e, &steps, &[scratch, view].concat()),
    ));

    let (mut scratch, _, _) = fresh();
    let e = Steps::<4>::decrypt(&key, &iv, data.as_bytes(), &options, &mut scratch).unwrap_err();
    seen.push(("Steps::decrypt", rust_failed(e, &no_steps, &scratch)));

    let (mut scratch, mut steps, mut copy) = fresh();
    let (key_b64, iv_b64) = (b64(&KEY), b64(&IV));
    let c_options = werun_options {
        appid: APPID.as_ptr(),
        appid_len: APPID.len(),
        flags: 0,
        now: 0,
        max_age: 0,
    };
    let mut summary = common::SUMMARY_PATTERN;
    let status = common::c_decrypt_steps(
        &key_b64,
        &iv_b64,
        data,
        &c_options,
        &mut scratch,
        &mut steps,
        &mut summary,
    );
    seen.push(("werun_decrypt_steps", c_failed(status, &steps, &scratch)));
    assert!(common::same_summary(&summary, &common::SUMMARY_PATTERN));

    steps.fill(common::STEP_PATTERN);
    let status = common::c_decrypt_steps_in_place(
        &key_b64,
        &iv_b64,
        &mut copy,
        &c_options,
        &mut steps,
        &mut summary,
    );
    let mut view = copy[..decoded.min(copy.len())].to_vec();
    view.truncate(view.len() / 16 * 16);
    scratch.fill(0);
    seen.push((
        "werun_decrypt_steps_in_place",
        c_failed(status, &steps, &[scratch.clone(), view].concat()),
    ));
    assert!(common::same_summary(&summary, &common::SUMMARY_PATTERN));

    if werun_only {
        return seen;
    }

    let (mut scratch, _, mut copy) = fresh();
    let e = open_data(&key, &iv, data.as_bytes(), &options, &mut scratch).unwrap_err();
    seen.push(("open_data", rust_failed(e, &no_steps, &scratch)));
    let e = open_data_in_place(&key, &iv, &mut copy, &options).unwrap_err();
    let mut view = copy[..decoded.min(copy.len())].to_vec();
    view.truncate(view.len() / 16 * 16);
    seen.push((
        "open_data_in_place",
        rust_failed(e, &no_steps, &[scratch.clone(), view].concat()),
    ));

    let (mut scratch, _, mut copy) = fresh();
    let mut result = common::RESULT_PATTERN;
    let status = werun_open_data(
        key_b64.as_ptr(),
        key_b64.len(),
        iv_b64.as_ptr(),
        iv_b64.len(),
        data.as_ptr(),
        data.len(),
        &c_options,
        scratch.as_mut_ptr(),
        scratch.len(),
        &mut result,
    );
    seen.push(("werun_open_data", c_failed(status, &no_steps, &scratch)));
    let status = werun_open_data_in_place(
        key_b64.as_ptr(),
        key_b64.len(),
        iv_b64.as_ptr(),
        iv_b64.len(),
        copy.as_mut_ptr(),
        copy.len(),
        &c_options,
        &mut result,
    );
    let mut view = copy[..decoded.min(copy.len())].to_vec();
    view.truncate(view.len() / 16 * 16);
    seen.push((
        "werun_open_data_in_place",
        c_failed(status, &no_steps, &[scratch, view].concat()),
    ));
    assert!(common::same_result(&result, &common::RESULT_PATTERN));
    seen
}

#[test]
fn padding_utf8_json_and_shape_failures_look_the_same_through_every_api() {
    let expected = Observed {
        status: 7, // WERUN_STATUS_DECRYPT_FAILED
        message: DECRYPT_FAILED_MESSAGE.to_string(),
        steps: vec![StepInfo::default(); 4],
        scratch_nonzero: 0,
    };
    let mut calls = 0;
    for (cause, data, open_data_fails, _) in failures() {
        for (api, observed) in every_api(&data, !open_data_fails) {
            assert_eq!(observed, expected, "{cause} through {api}");
            calls += 1;
        }
    }
    assert_eq!(calls, 9 * 9 + 2 * 5);
}

#[test]
fn the_c_message_and_the_rust_message_are_the_documented_text() {
    // SAFETY: a static NUL-terminated string.
    let c = unsafe { CStr::from_ptr(werun_status_str(werun_status::DecryptFailed as u32)) };
    assert_eq!(c.to_str().unwrap(), DECRYPT_FAILED_MESSAGE);
    assert_eq!(Error::DecryptFailed.to_string(), DECRYPT_FAILED_MESSAGE);
    assert_eq!(Error::DecryptFailed.message(), DECRYPT_FAILED_MESSAGE);
}

/// The failures above really are different causes: only `diagnose` (for logs) tells them apart,
/// and it names each one's cause.
#[test]
fn the_failures_are_distinct_causes_that_only_diagnose_tells_apart() {
    let key = SessionKey::from_bytes(KEY);
    let iv = Iv::from_bytes(IV);
    for (cause, data, _, expected) in failures() {
        let mut scratch = vec![0xA5u8; werun::scratch_len(data.len())];
        let d = diagnose(&key, &iv, data.as_bytes(), Base64Mode::Repair, &mut scratch).unwrap();
        assert!(
            scratch.iter().all(|&b| b == 0 || b == 0xA5),
            "{cause}: diagnose left data"
        );
        assert_eq!(d, expected, "{cause}");
    }
}

/// The payload that all the failures were derived from does decrypt, so each failure is due
/// to its one change.
#[test]
fn the_unaltered_payload_decrypts() {
    let data = encrypt(&pkcs7(GOOD.as_bytes()));
    let mut scratch = vec![0u8; werun::scratch_len(data.len())];
    let mut steps = [StepInfo::default(); 4];
    let key = SessionKey::from_bytes(KEY);
    let iv = Iv::from_bytes(IV);
    let got = decrypt_steps(
        &key,
        &iv,
        data.as_bytes(),
        &Options::expect_appid(APPID),
        &mut scratch,
        &mut steps,
    )
    .unwrap();
    assert_eq!(
        got.steps,
        &[StepInfo {
            timestamp: 1_717_171_200,
            step: 1234
        }]
    );
}

/// Each status maps to the code WeChat's WXBizDataCrypt sample returns for the same input
/// (its ErrorCode table: -41001 IllegalAesKey, -41002 IllegalIv, -41003 IllegalBuffer, -41004
/// DecodeBase64Error), through the Rust API and the C ABI alike.
#[test]
fn statuses_map_to_the_wxbizdatacrypt_codes() {
    let expected = [
        (0u32, 0i32),
        (1, -41003),
        (2, -41001),
        (3, -41002),
        (4, -41004),
        (5, -41003),
        (6, -41003),
        (7, -41003),
        (8, -41003),
        (9, -41003),
        (10, -41003),
        (11, -41003),
        (12, -41003),
        (13, -41003),
        (u32::MAX, -41003),
    ];
    for (status, code) in expected {
        assert_eq!(werun_status_wx_code(status), code, "status {status}");
        if let Some(e) = Error::from_code(status) {
            assert_eq!(e.wx_code(), code, "{e:?}");
        }
    }
}
