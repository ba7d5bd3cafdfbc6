//! Shared by the integration tests: the vector files and a runner over the Rust API.
#![allow(dead_code)]

use serde_json::Value;
use werun::{
    decrypt_steps, decrypt_steps_in_place, diagnose, open_data, open_data_in_place, Base64Mode,
    Diagnosis, Error, Iv, Options, SessionKey, StepInfo,
};

pub fn vectors_file() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/werun.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub fn vectors() -> Vec<Value> {
    vectors_file()["vectors"].as_array().unwrap().clone()
}

pub fn status_name(e: Option<Error>) -> String {
    let code = e.map_or(0, Error::code);
    let file = vectors_file();
    let statuses = file["statuses"].as_array().unwrap();
    let s = statuses.iter().find(|s| s["code"] == code).unwrap();
    s["name"].as_str().unwrap().to_string()
}

/// The vector file's name for a status code.
pub fn status_name_of(code: u32) -> String {
    let file = vectors_file();
    let statuses = file["statuses"].as_array().unwrap();
    let s = statuses.iter().find(|s| s["code"] == code).unwrap();
    s["name"].as_str().unwrap().to_string()
}

/// The vector file's name for a diagnosis code.
pub fn diagnosis_name_of(code: u32) -> String {
    let file = vectors_file();
    let all = file["diagnoses"].as_array().unwrap();
    let s = all.iter().find(|s| s["code"] == code).unwrap();
    s["name"].as_str().unwrap().to_string()
}

/// What output step arrays are filled with before a call, so that "zeroed" and "untouched"
/// can be told apart from "was zero already".
pub const STEP_PATTERN: StepInfo = StepInfo {
    timestamp: 0x5A5A_5A5A_5A5A_5A5A,
    step: 0xA5A5_A5A5,
};

/// What scratch buffers are filled with before a call.
pub const BYTE_PATTERN: u8 = 0xA5;

/// What `out_summary` holds before a call: written only on success.
pub const SUMMARY_PATTERN: werun::ffi::werun_summary = werun::ffi::werun_summary {
    count: 0xA5A5_A5A5_A5A5_A5A5,
    watermark_timestamp: 0x5A5A_5A5A_5A5A_5A5A,
    has_watermark: 0xA5,
};

/// What `out_result` holds before a call: written only on success.
pub const RESULT_PATTERN: werun::ffi::werun_open_data_result = werun::ffi::werun_open_data_result {
    json_len: 0xA5A5_A5A5_A5A5_A5A5,
    watermark_timestamp: 0x5A5A_5A5A_5A5A_5A5A,
    has_watermark: 0xA5,
};

/// What `out_diagnosis` holds before a call: written only on success.
pub const DIAGNOSIS_PATTERN: u32 = 0xA5A5_A5A5;

/// Field by field (the C structs have padding and no `PartialEq`).
pub fn same_summary(a: &werun::ffi::werun_summary, b: &werun::ffi::werun_summary) -> bool {
    (a.count, a.watermark_timestamp, a.has_watermark)
        == (b.count, b.watermark_timestamp, b.has_watermark)
}

/// Field by field.
pub fn same_result(
    a: &werun::ffi::werun_open_data_result,
    b: &werun::ffi::werun_open_data_result,
) -> bool {
    (a.json_len, a.watermark_timestamp, a.has_watermark)
        == (b.json_len, b.watermark_timestamp, b.has_watermark)
}

pub fn diagnosis_name(d: Diagnosis) -> String {
    let file = vectors_file();
    let all = file["diagnoses"].as_array().unwrap();
    let s = all.iter().find(|s| s["code"] == d.code()).unwrap();
    s["name"].as_str().unwrap().to_string()
}

/// What a call produced, in the vector file's terms.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub status: String,
    pub steps: Vec<(i64, u32)>,
    pub watermark_timestamp: Option<i64>,
    pub json: Option<String>,
}

impl Outcome {
    pub fn expected(v: &Value) -> Outcome {
        let e = &v["expect"];
        Outcome {
            status: e["status"].as_str().unwrap().into(),
            steps: e["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s[0].as_i64().unwrap(), s[1].as_u64().unwrap() as u32))
                .collect(),
            watermark_timestamp: e["watermark_timestamp"].as_i64(),
            json: e["json"].as_str().map(String::from),
        }
    }

    fn failed(e: Error) -> Outcome {
        Outcome::failed_with(status_name(Some(e)))
    }

    fn failed_with(status: String) -> Outcome {
        Outcome {
            status,
            steps: vec![],
            watermark_timestamp: None,
            json: None,
        }
    }
}

pub fn mode(v: &Value) -> Base64Mode {
    if v["strict_base64"].as_bool().unwrap() {
        Base64Mode::Strict
    } else {
        Base64Mode::Repair
    }
}

pub fn options(v: &Value) -> Options<'_> {
    let o = match v["appid"].as_str() {
        Some(a) => Options::expect_appid(a),
        None => Options::skip_appid_check(),
    };
    let o = o.base64(mode(v));
    match (v["now"].as_i64(), v["max_age"].as_u64()) {
        (Some(now), Some(max_age)) => o.max_age(now, max_age),
        _ => o,
    }
}

pub fn keys(v: &Value) -> Result<(SessionKey, Iv), Error> {
    let key = SessionKey::from_base64(v["session_key"].as_str().unwrap(), mode(v))?;
    let iv = Iv::from_base64(v["iv"].as_str().unwrap(), mode(v))?;
    Ok((key, iv))
}

pub fn scratch_len(v: &Value) -> usize {
    v["scratch_len"].as_u64().map_or(
        werun::scratch_len(v["encrypted_data"].as_str().unwrap().len()),
        |n| n as usize,
    )
}

/// Runs a vector through the Rust API, with a scratch buffer (`in_place` false) or in place.
pub fn run(v: &Value, in_place: bool) -> Outcome {
    let (key, iv) = match keys(v) {
        Ok(k) => k,
        Err(e) => return Outcome::failed(e),
    };
    let data = v["encrypted_data"].as_str().unwrap().as_bytes();
    let opts = options(v);
    let mut scratch = vec![0u8; scratch_len(v)];
    let mut copy = data.to_vec();
    if v["api"] == "open_data" {
        let r = if in_place {
            open_data_in_place(&key, &iv, &mut copy, &opts)
        } else {
            open_data(&key, &iv, data, &opts, &mut scratch)
        };
        return match r {
            Ok(d) => Outcome {
                status: "OK".into(),
                steps: vec![],
                watermark_timestamp: d.watermark.map(|w| w.timestamp),
                json: Some(d.json.to_string()),
            },
            Err(e) => Outcome::failed(e),
        };
    }
    let capacity = v["capacity"].as_u64().unwrap() as usize;
    // One entry more than the capacity: nothing may be written there.
    let mut buf = vec![STEP_PATTERN; capacity + 1];
    let (out, past) = buf.split_at_mut(capacity);
    let r = if in_place {
        decrypt_steps_in_place(&key, &iv, &mut copy, &opts, out)
    } else {
        decrypt_steps(&key, &iv, data, &opts, &mut scratch, out)
    };
    assert_eq!(past, [STEP_PATTERN], "{}: wrote past the capacity", v["id"]);
    match r {
        Ok(d) => Outcome {
            status: "OK".into(),
            steps: d.steps.iter().map(|s| (s.timestamp, s.step)).collect(),
            watermark_timestamp: d.watermark.map(|w| w.timestamp),
            json: None,
        },
        Err(e) => {
            assert!(
                out.iter().all(|s| *s == StepInfo::default()),
                "{}: partial output left",
                v["id"]
            );
            Outcome::failed(e)
        }
    }
}

/// The vector's diagnosis through the Rust API (`None` when the inputs fail before decryption).
pub fn run_diagnose(v: &Value) -> Option<String> {
    let (key, iv) = keys(v).ok()?;
    let data = v["encrypted_data"].as_str().unwrap().as_bytes();
    let mut scratch = vec![0u8; scratch_len(v)];
    diagnose(&key, &iv, data, mode(v), &mut scratch)
        .ok()
        .map(diagnosis_name)
}

/// `werun_decrypt_steps` over Rust slices (pointer + length each).
pub fn c_decrypt_steps(
    key: impl AsRef<[u8]>,
    iv: impl AsRef<[u8]>,
    data: impl AsRef<[u8]>,
    options: &werun::ffi::werun_options,
    scratch: &mut [u8],
    steps: &mut [StepInfo],
    summary: &mut werun::ffi::werun_summary,
) -> werun::ffi::werun_status {
    let (key, iv, data) = (key.as_ref(), iv.as_ref(), data.as_ref());
    werun::ffi::werun_decrypt_steps(
        key.as_ptr(),
        key.len(),
        iv.as_ptr(),
        iv.len(),
        data.as_ptr(),
        data.len(),
        options,
        scratch.as_mut_ptr(),
        scratch.len(),
        steps.as_mut_ptr(),
        steps.len(),
        summary,
    )
}

/// `werun_decrypt_steps_in_place` over Rust slices.
pub fn c_decrypt_steps_in_place(
    key: impl AsRef<[u8]>,
    iv: impl AsRef<[u8]>,
    data: &mut [u8],
    options: &werun::ffi::werun_options,
    steps: &mut [StepInfo],
    summary: &mut werun::ffi::werun_summary,
) -> werun::ffi::werun_status {
    let (key, iv) = (key.as_ref(), iv.as_ref());
    werun::ffi::werun_decrypt_steps_in_place(
        key.as_ptr(),
        key.len(),
        iv.as_ptr(),
        iv.len(),
        data.as_mut_ptr(),
        data.len(),
        options,
        steps.as_mut_ptr(),
        steps.len(),
        summary,
    )
}

/// The vector's options for the C ABI (borrowing the vector's appid).
pub fn c_options(v: &Value) -> werun::ffi::werun_options {
    use werun::ffi::*;
    let mut flags = 0;
    let (appid, appid_len) = match v["appid"].as_str() {
        Some(a) => (a.as_ptr(), a.len()),
        None => {
            flags |= WERUN_OPTION_SKIP_APPID_CHECK;
            (std::ptr::null(), 0)
        }
    };
    if v["strict_base64"].as_bool().unwrap() {
        flags |= WERUN_OPTION_STRICT_BASE64;
    }
    let (now, max_age) = match (v["now"].as_i64(), v["max_age"].as_u64()) {
        (Some(now), Some(max_age)) => {
            flags |= WERUN_OPTION_CHECK_FRESHNESS;
            (now, max_age)
        }
        _ => (0, 0),
    };
    werun::ffi::werun_options {
        appid,
        appid_len,
        flags,
        now,
        max_age,
    }
}

/// Runs a vector through the C ABI (`werun_decrypt_steps` or `werun_open_data`, or their
/// in-place forms), with every output filled with a pattern first, and checks the promises
/// that hold whatever the status: nothing written past a buffer; on failure `out_*`
/// untouched, and for statuses 2..=10 every step entry zeroed; the scratch buffer holding no
/// byte it was not given but zeros (and the JSON a successful `werun_open_data` returns).
pub fn run_c(v: &Value, in_place: bool) -> Outcome {
    use werun::ffi::*;
    let id = &v["id"];
    let key = v["session_key"].as_str().unwrap().as_bytes();
    let iv = v["iv"].as_str().unwrap().as_bytes();
    let data = v["encrypted_data"].as_str().unwrap().as_bytes();
    let options = c_options(v);
    let scratch_len = scratch_len(v);
    // One byte (entry) more than passed, to catch a write past the end.
    let mut scratch = vec![BYTE_PATTERN; scratch_len + 1];
    let mut copy = [data, &[BYTE_PATTERN]].concat();
    let json_at = |status: werun_status, r: &werun_open_data_result| {
        (status == werun_status::Ok).then_some(r.json_len)
    };
    let (outcome, json_len) = if v["api"] == "open_data" {
        let mut result = RESULT_PATTERN;
        let status = if in_place {
            werun_open_data_in_place(
                key.as_ptr(),
                key.len(),
                iv.as_ptr(),
                iv.len(),
                copy.as_mut_ptr(),
                data.len(),
                &options,
                &mut result,
            )
        } else {
            werun_open_data(
                key.as_ptr(),
                key.len(),
                iv.as_ptr(),
                iv.len(),
                data.as_ptr(),
                data.len(),
                &options,
                scratch.as_mut_ptr(),
                scratch_len,
                &mut result,
            )
        };
        if status != werun_status::Ok {
            assert!(
                same_result(&result, &RESULT_PATTERN),
                "{id}: out_result written on failure"
            );
        }
        let json = json_at(status, &result).map(|n| {
            let at: &[u8] = if in_place { &copy } else { &scratch };
            String::from_utf8(at[..n].to_vec()).unwrap()
        });
        let outcome = Outcome {
            status: status_name_of(status as u32),
            steps: vec![],
            watermark_timestamp: (status == werun_status::Ok && result.has_watermark == 1)
                .then_some(result.watermark_timestamp),
            json: json.clone(),
        };
        (outcome, json.map_or(0, |j| j.len()))
    } else {
        let capacity = v["capacity"].as_u64().unwrap() as usize;
        let mut steps = vec![STEP_PATTERN; capacity + 1];
        let mut summary = SUMMARY_PATTERN;
        let status = if in_place {
            c_decrypt_steps_in_place(
                key,
                iv,
                &mut copy[..data.len()],
                &options,
                &mut steps[..capacity],
                &mut summary,
            )
        } else {
            c_decrypt_steps(
                key,
                iv,
                data,
                &options,
                &mut scratch[..scratch_len],
                &mut steps[..capacity],
                &mut summary,
            )
        };
        assert_eq!(
            steps[capacity], STEP_PATTERN,
            "{id}: wrote past steps_capacity"
        );
        let outcome = if status == werun_status::Ok {
            Outcome {
                status: "OK".into(),
                steps: steps[..summary.count]
                    .iter()
                    .map(|s| (s.timestamp, s.step))
                    .collect(),
                watermark_timestamp: (summary.has_watermark == 1)
                    .then_some(summary.watermark_timestamp),
                json: None,
            }
        } else {
            assert!(
                same_summary(&summary, &SUMMARY_PATTERN),
                "{id}: out_summary written on failure ({status:?})"
            );
            if (2..=10).contains(&(status as u32)) {
                assert!(
                    steps[..capacity].iter().all(|s| *s == StepInfo::default()),
                    "{id}: steps not zeroed on failure ({status:?})"
                );
            }
            Outcome::failed_with(status_name_of(status as u32))
        };
        (outcome, 0)
    };
    // Written past its end: never. Left behind: nothing but zeros and the returned JSON.
    assert_eq!(
        scratch[scratch_len], BYTE_PATTERN,
        "{id}: wrote past scratch_len"
    );
    assert_eq!(copy[data.len()], BYTE_PATTERN, "{id}: wrote past the data");
    if !in_place {
        assert!(
            scratch[json_len..scratch_len]
                .iter()
                .all(|&b| b == 0 || b == BYTE_PATTERN),
            "{id}: the scratch buffer holds data after the call"
        );
    }
    outcome
}

/// The vector's diagnosis through `werun_diagnose` (`None` when it fails), with
/// `out_diagnosis` untouched on failure.
pub fn run_c_diagnose(v: &Value) -> Option<String> {
    let key = v["session_key"].as_str().unwrap().as_bytes();
    let iv = v["iv"].as_str().unwrap().as_bytes();
    let data = v["encrypted_data"].as_str().unwrap().as_bytes();
    let flags = if v["strict_base64"].as_bool().unwrap() {
        werun::ffi::WERUN_OPTION_STRICT_BASE64
    } else {
        0
    };
    let mut scratch = vec![BYTE_PATTERN; scratch_len(v)];
    let mut diagnosis = DIAGNOSIS_PATTERN;
    let status = werun::ffi::werun_diagnose(
        key.as_ptr(),
        key.len(),
        iv.as_ptr(),
        iv.len(),
        data.as_ptr(),
        data.len(),
        flags,
        scratch.as_mut_ptr(),
        scratch.len(),
        &mut diagnosis,
    );
    assert!(
        scratch.iter().all(|&b| b == 0 || b == BYTE_PATTERN),
        "{}: werun_diagnose left data in the scratch buffer",
        v["id"]
    );
    if status == werun::ffi::werun_status::Ok {
        Some(diagnosis_name_of(diagnosis))
    } else {
        assert_eq!(
            diagnosis, DIAGNOSIS_PATTERN,
            "{}: out_diagnosis written on failure",
            v["id"]
        );
        None
    }
}
