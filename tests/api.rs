//! The public accessors and formatting that the other suites do not reach (found by
//! cargo-mutants: each test here kills a mutant that survived them).

mod common;

use werun::{Base64Mode, Freshness, Iv, Options, SessionKey, Steps};

#[test]
fn options_report_what_was_asked() {
    let o = Options::expect_appid("wx4f4bc4dec97d474b").max_age(1_717_171_400, 3_600);
    assert_eq!(
        o.freshness(),
        Some(Freshness {
            now: 1_717_171_400,
            max_age: 3_600
        })
    );
    assert_eq!(o.appid(), Some(&b"wx4f4bc4dec97d474b"[..]));
    assert_eq!(o.base64_mode(), Base64Mode::Repair);
    let skip = Options::skip_appid_check().base64(Base64Mode::Strict);
    assert_eq!(skip.freshness(), None);
    assert_eq!(skip.appid(), None);
    assert_eq!(skip.base64_mode(), Base64Mode::Strict);
}

/// `SessionKey`'s Debug never shows the key; `Iv`'s shows the (public) bytes.
#[test]
fn debug_hides_the_key_and_shows_the_iv() {
    let key = SessionKey::from_bytes([0xAB; 16]);
    assert_eq!(format!("{key:?}"), "SessionKey(..)");
    let iv = Iv::from_bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    assert_eq!(
        format!("{iv:?}"),
        "Iv([01, 02, 03, 04, 05, 06, 07, 08, 09, 0a, 0b, 0c, 0d, 0e, 0f, 10])"
    );
}

/// `Steps` carries the verified watermark with the entries.
#[test]
fn steps_carry_the_watermark() {
    let s = &common::vectors_file()["sample"];
    let text = |k: &str| s[k].as_str().unwrap();
    let key = SessionKey::from_base64(text("session_key"), Base64Mode::Repair).unwrap();
    let iv = Iv::from_base64(text("iv"), Base64Mode::Repair).unwrap();
    let mut scratch = vec![0u8; werun::scratch_len(text("encrypted_data").len())];
    let steps = Steps::<32>::decrypt(
        &key,
        &iv,
        text("encrypted_data").as_bytes(),
        &Options::expect_appid(text("appid")),
        &mut scratch,
    )
    .unwrap();
    assert_eq!(steps.len(), 31);
    assert_eq!(
        steps.watermark().map(|w| w.timestamp),
        s["expect"]["watermark_timestamp"].as_i64()
    );
}

/// Lengths above `PTRDIFF_MAX` are refused before any pointer is read (a slice that long cannot
/// exist), for every input of the C ABI.
#[test]
fn lengths_above_ptrdiff_max_are_refused() {
    use werun::ffi::*;
    let s = &common::vectors_file()["sample"];
    let text = |k: &str| s[k].as_str().unwrap();
    let (key, iv, data) = (text("session_key"), text("iv"), text("encrypted_data"));
    let options = werun_options {
        appid: std::ptr::null(),
        appid_len: 0,
        flags: WERUN_OPTION_SKIP_APPID_CHECK,
        now: 0,
        max_age: 0,
    };
    for huge in [isize::MAX as usize + 1, usize::MAX] {
        for which in 0..3 {
            let len = |i: usize, n: usize| if i == which { huge } else { n };
            let mut scratch = vec![0u8; 2048];
            let mut steps = [common::STEP_PATTERN; 32];
            let mut summary = werun_summary::default();
            let status = werun_decrypt_steps(
                key.as_ptr(),
                len(0, key.len()),
                iv.as_ptr(),
                len(1, iv.len()),
                data.as_ptr(),
                len(2, data.len()),
                &options,
                scratch.as_mut_ptr(),
                scratch.len(),
                steps.as_mut_ptr(),
                steps.len(),
                &mut summary,
            );
            assert_eq!(
                status,
                werun_status::InvalidArgument,
                "input {which}, {huge}"
            );
            assert!(steps.iter().all(|s| *s == common::STEP_PATTERN));
        }
    }
}

/// The C ABI's small functions give what the Rust API and the header promise.
#[test]
fn the_c_helpers_agree_with_the_rust_api() {
    use std::ffi::CStr;
    use werun::ffi::*;
    for n in [0usize, 1, 3, 4, 22, 24, 1664, 1667, 100_000] {
        assert_eq!(werun_scratch_len(n), werun::scratch_len(n), "{n}");
        assert_eq!(
            werun_scratch_len_with_keys(n),
            werun::scratch_len_with_keys(n),
            "{n}"
        );
    }
    assert_eq!(werun_scratch_len(1664), 1248);
    assert_eq!(werun_scratch_len_with_keys(1664), 2496);
    assert_eq!(werun_abi_version(), WERUN_ABI_VERSION);
    let version = unsafe { CStr::from_ptr(werun_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    for d in 0..=5u32 {
        let diagnosis = werun::Diagnosis::from_code(d).unwrap();
        let message = unsafe { CStr::from_ptr(werun_diagnosis_str(d)) };
        assert_eq!(message.to_str().unwrap(), diagnosis.message(), "{d}");
    }
}

/// Empty inputs have no address: one whose pointer lies inside a writable buffer is not an
/// overlap (the call fails on the input itself). And skipping the appid check with a NULL appid
/// of non-zero length is refused.
#[test]
fn empty_inputs_never_overlap_and_a_skipped_appid_has_no_length() {
    use werun::ffi::*;
    let s = &common::vectors_file()["sample"];
    let text = |k: &str| s[k].as_str().unwrap();
    let (key, iv) = (text("session_key"), text("iv"));
    let mut options = werun_options {
        appid: std::ptr::null(),
        appid_len: 0,
        flags: WERUN_OPTION_SKIP_APPID_CHECK,
        now: 0,
        max_age: 0,
    };
    let mut scratch = vec![0u8; 64];
    let mut steps = [common::STEP_PATTERN; 4];
    let mut summary = werun_summary::default();
    let inside = unsafe { scratch.as_ptr().add(8) };
    let status = werun_decrypt_steps(
        key.as_ptr(),
        key.len(),
        iv.as_ptr(),
        iv.len(),
        inside,
        0,
        &options,
        scratch.as_mut_ptr(),
        scratch.len(),
        steps.as_mut_ptr(),
        steps.len(),
        &mut summary,
    );
    assert_eq!(status, werun_status::CiphertextLength);
    options.appid_len = 5;
    let status = werun_decrypt_steps(
        key.as_ptr(),
        key.len(),
        iv.as_ptr(),
        iv.len(),
        text("encrypted_data").as_ptr(),
        text("encrypted_data").len(),
        &options,
        scratch.as_mut_ptr(),
        scratch.len(),
        steps.as_mut_ptr(),
        steps.len(),
        &mut summary,
    );
    assert_eq!(status, werun_status::InvalidArgument);
}
