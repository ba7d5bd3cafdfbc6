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
        Outcome {
            status: status_name(Some(e)),
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
    let mut out = vec![StepInfo::default(); v["capacity"].as_u64().unwrap() as usize];
    let r = if in_place {
        decrypt_steps_in_place(&key, &iv, &mut copy, &opts, &mut out)
    } else {
        decrypt_steps(&key, &iv, data, &opts, &mut scratch, &mut out)
    };
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
