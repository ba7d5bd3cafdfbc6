//! Several candidate keys in one call: the candidate-key vectors through the Rust API and the C
//! ABI, the argument checks, and the oracle property (a failed call looks the same whatever each
//! candidate did).

mod common;
#[path = "vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use serde_json::Value;
use werun::ffi::*;
use werun::{
    decrypt_steps_with_keys, Base64Mode, Error, Iv, Options, SessionKey, StepInfo,
    MAX_CANDIDATE_KEYS,
};

const PATTERN: StepInfo = StepInfo {
    timestamp: 0x5A5A_5A5A_5A5A,
    step: 0xA5A5_A5A5,
};

fn keys_vectors() -> Vec<Value> {
    common::vectors_file()["keys_vectors"]
        .as_array()
        .unwrap()
        .clone()
}

fn text<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap()
}

fn expected_steps(v: &Value) -> Vec<(i64, u32)> {
    v["expect"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[0].as_i64().unwrap(), s[1].as_u64().unwrap() as u32))
        .collect()
}

/// The C ABI call over Rust values: (status, key index or the pattern, steps).
fn c_call(
    keys: &[&str],
    iv: &str,
    data: &str,
    appid: &str,
) -> (werun_status, usize, Vec<StepInfo>) {
    let entries: Vec<werun_bytes> = keys
        .iter()
        .map(|k| werun_bytes {
            ptr: k.as_ptr(),
            len: k.len(),
        })
        .collect();
    let options = werun_options {
        appid: appid.as_ptr(),
        appid_len: appid.len(),
        flags: 0,
        now: 0,
        max_age: 0,
    };
    let mut scratch = vec![0xA5u8; werun_scratch_len_with_keys(data.len())];
    let mut steps = [PATTERN; 32];
    let mut summary = werun_summary::default();
    let mut index = usize::MAX;
    let status = werun_decrypt_steps_with_keys(
        entries.as_ptr(),
        entries.len(),
        iv.as_ptr(),
        iv.len(),
        data.as_ptr(),
        data.len(),
        &options,
        scratch.as_mut_ptr(),
        scratch.len(),
        steps.as_mut_ptr(),
        steps.len(),
        &mut summary,
        &mut index,
    );
    // Whatever happened, the scratch holds nothing werun wrote but zeros: every byte is zero or
    // still the caller's pattern (failures before decoding leave it untouched).
    assert!(
        scratch.iter().all(|&b| b == 0 || b == 0xA5),
        "scratch not wiped ({status:?})"
    );
    let count = if status == werun_status::Ok {
        summary.count
    } else {
        32
    };
    (status, index, steps[..count].to_vec())
}

#[test]
fn every_keys_vector_passes_through_the_rust_api() {
    for v in keys_vectors() {
        let id = text(&v, "id");
        let want = text(&v["expect"], "status");
        let iv = Iv::from_base64(text(&v, "iv"), Base64Mode::Repair).unwrap();
        let keys: Result<Vec<SessionKey>, Error> = v["session_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| SessionKey::from_base64(k.as_str().unwrap(), Base64Mode::Repair))
            .collect();
        let keys = match keys {
            Ok(keys) => keys,
            Err(e) => {
                assert_eq!(common::status_name(Some(e)), want, "{id}");
                continue;
            }
        };
        let data = text(&v, "encrypted_data");
        let mut scratch = vec![0u8; werun::scratch_len_with_keys(data.len())];
        let mut out = [PATTERN; 32];
        let options = Options::expect_appid(text(&v, "appid"));
        let r = decrypt_steps_with_keys(
            &keys,
            &iv,
            data.as_bytes(),
            &options,
            &mut scratch,
            &mut out,
        );
        match r {
            Ok((index, d)) => {
                assert_eq!(want, "OK", "{id}");
                assert_eq!(
                    Some(index as u64),
                    v["expect"]["key_index"].as_u64(),
                    "{id}"
                );
                let got: Vec<(i64, u32)> = d.steps.iter().map(|s| (s.timestamp, s.step)).collect();
                assert_eq!(got, expected_steps(&v), "{id}");
                assert_eq!(
                    d.watermark.map(|w| w.timestamp),
                    v["expect"]["watermark_timestamp"].as_i64(),
                    "{id}"
                );
            }
            Err(e) => {
                assert_eq!(common::status_name(Some(e)), want, "{id}");
                assert!(out.iter().all(|s| *s == StepInfo::default()), "{id}");
            }
        }
        assert!(scratch.iter().all(|&b| b == 0), "{id}: scratch not wiped");
    }
}

#[test]
fn every_keys_vector_passes_through_the_c_abi() {
    let names = common::vectors_file();
    for v in keys_vectors() {
        let id = text(&v, "id");
        let keys: Vec<&str> = v["session_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        let (status, index, steps) = c_call(
            &keys,
            text(&v, "iv"),
            text(&v, "encrypted_data"),
            text(&v, "appid"),
        );
        let want = text(&v["expect"], "status");
        let code = names["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == want)
            .unwrap()["code"]
            .as_u64()
            .unwrap();
        assert_eq!(status as u64, code, "{id}");
        if status == werun_status::Ok {
            assert_eq!(
                Some(index as u64),
                v["expect"]["key_index"].as_u64(),
                "{id}"
            );
            let got: Vec<(i64, u32)> = steps.iter().map(|s| (s.timestamp, s.step)).collect();
            assert_eq!(got, expected_steps(&v), "{id}");
        } else {
            assert_eq!(index, usize::MAX, "{id}: out_key_index written on failure");
            assert!(steps.iter().all(|s| *s == StepInfo::default()), "{id}");
        }
    }
}

#[test]
fn no_candidate_or_too_many_is_refused() {
    let s = &common::vectors_file()["sample"];
    let key = text(s, "session_key");
    let (iv, data, appid) = (text(s, "iv"), text(s, "encrypted_data"), text(s, "appid"));
    let (status, _, steps) = c_call(&[], iv, data, appid);
    assert_eq!(status, werun_status::InvalidArgument);
    assert!(
        steps.iter().all(|s| *s == PATTERN),
        "written before the argument check"
    );
    let five = [key; MAX_CANDIDATE_KEYS + 1];
    assert_eq!(
        c_call(&five, iv, data, appid).0,
        werun_status::InvalidArgument
    );
    assert_eq!(c_call(&five[..4], iv, data, appid).0, werun_status::Ok);

    let k = || SessionKey::from_base64(key, Base64Mode::Repair).unwrap();
    let iv = Iv::from_base64(iv, Base64Mode::Repair).unwrap();
    let mut scratch = vec![0u8; werun::scratch_len_with_keys(data.len())];
    let mut out = [PATTERN; 32];
    let options = Options::expect_appid(appid);
    for keys in [vec![], vec![k(), k(), k(), k(), k()]] {
        let r = decrypt_steps_with_keys(
            &keys,
            &iv,
            data.as_bytes(),
            &options,
            &mut scratch,
            &mut out,
        );
        assert_eq!(r.err(), Some(Error::SessionKeyInvalid));
        assert!(out.iter().all(|s| *s == StepInfo::default()));
        out = [PATTERN; 32];
    }
    // More entries than the output holds: refused, nothing left in the output.
    let mut short = [PATTERN; 30];
    let r = decrypt_steps_with_keys(
        &[k()],
        &iv,
        data.as_bytes(),
        &options,
        &mut scratch,
        &mut short,
    );
    assert_eq!(r.err(), Some(Error::CapacityExceeded));
    assert!(short.iter().all(|s| *s == StepInfo::default()));
    // A scratch for one copy only.
    let mut small = vec![0u8; werun::scratch_len(data.len())];
    let r = decrypt_steps_with_keys(&[k()], &iv, data.as_bytes(), &options, &mut small, &mut out);
    assert_eq!(r.err(), Some(Error::BufferTooSmall));
}

/// A failed call looks the same whatever each candidate did: wrong keys whose padding fails,
/// and a wrong key whose padding happens to be valid (about 1 in 256), in any order.
#[test]
fn a_failed_call_looks_the_same_whatever_the_candidates_did() {
    let s = &common::vectors_file()["sample"];
    let (iv, data, appid) = (text(s, "iv"), text(s, "encrypted_data"), text(s, "appid"));
    let iv_bytes: [u8; 16] = generate::b64_decode(iv).try_into().unwrap();
    let ct = generate::b64_decode(data);
    // Find a wrong key with a valid padding and one without, with the reference decryption.
    let mut rng = 0x1234_5678_9ABC_DEF0u64;
    let mut next_key = || {
        let mut k = [0u8; 16];
        for b in &mut k {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            *b = rng as u8;
        }
        k
    };
    let (mut valid_pad, mut invalid_pad) = (None, None);
    while valid_pad.is_none() || invalid_pad.is_none() {
        let k = next_key();
        let mut buf = ct.clone();
        werun::__internals::decrypt(&k, &iv_bytes, &mut buf)
            .map(|_| valid_pad.get_or_insert(k))
            .unwrap_or_else(|| invalid_pad.get_or_insert(k));
    }
    let (a, b) = (
        generate::b64(&valid_pad.unwrap()),
        generate::b64(&invalid_pad.unwrap()),
    );
    let mut seen = Vec::new();
    for keys in [
        vec![&a],
        vec![&b],
        vec![&a, &b],
        vec![&b, &a],
        vec![&b, &b, &a, &b],
    ] {
        let keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
        let (status, index, steps) = c_call(&keys, iv, data, appid);
        let message = unsafe { std::ffi::CStr::from_ptr(werun_status_str(status as u32)) };
        seen.push((status, index, steps, message.to_owned()));
    }
    assert!(seen.iter().all(|s| s == &seen[0]), "{seen:?}");
    assert_eq!(seen[0].0, werun_status::DecryptFailed);
}
