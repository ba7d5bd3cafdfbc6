//! Vectors written by others (`tests/vectors/real-world.json`: WeChat's official demo, payloads
//! from other SDKs' issues, each with its provenance), every entry asserted.

use serde_json::Value;
use werun::{
    decrypt_steps, diagnose, open_data, Base64Mode, Diagnosis, Error, Iv, Options, SessionKey,
    StepInfo,
};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/real-world.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Case {
    key: SessionKey,
    iv: Iv,
    data: String,
}

fn case(v: &Value) -> Case {
    let s = |k: &str| v[k].as_str().unwrap();
    Case {
        key: SessionKey::from_base64(s("sessionKey"), Base64Mode::Strict).unwrap(),
        iv: Iv::from_base64(s("iv"), Base64Mode::Strict).unwrap(),
        data: s("encryptedData").to_string(),
    }
}

fn options(v: &Value) -> Options<'_> {
    v["appId"]
        .as_str()
        .map_or(Options::skip_appid_check(), Options::expect_appid)
}

#[test]
fn every_real_world_vector_is_asserted() {
    let all = vectors();
    assert_eq!(all.len(), 13);
    let mut checked = 0;
    for v in &all {
        let c = case(v);
        let mut scratch = vec![0u8; werun::scratch_len(c.data.len())];
        let id = v["id"].as_str().unwrap();
        match v["result"].as_str().unwrap() {
            "OK" => {
                let d = open_data(&c.key, &c.iv, c.data.as_bytes(), &options(v), &mut scratch)
                    .unwrap_or_else(|e| panic!("{id}: {e:?}"));
                assert_eq!(
                    d.json.len() as u64,
                    v["plaintext_len"].as_u64().unwrap(),
                    "{id}"
                );
                assert_eq!(
                    sha256_hex(d.json.as_bytes()),
                    v["plaintext_sha256"].as_str().unwrap(),
                    "{id}"
                );
                if let Some(p) = v["plaintext"].as_str() {
                    assert_eq!(d.json, p, "{id}");
                }
                if v["repair"].is_string() {
                    // Decodes only after the repair, which strict mode refuses.
                    let strict = options(v).base64(Base64Mode::Strict);
                    let r = open_data(&c.key, &c.iv, c.data.as_bytes(), &strict, &mut scratch);
                    assert_eq!(r.unwrap_err(), Error::EncryptedDataInvalid, "{id}");
                }
                let mut diag_scratch = vec![0u8; werun::scratch_len(c.data.len())];
                let diagnosis = diagnose(
                    &c.key,
                    &c.iv,
                    c.data.as_bytes(),
                    Base64Mode::Repair,
                    &mut diag_scratch,
                )
                .unwrap();
                let is_werun = v["plaintext"]
                    .as_str()
                    .is_some_and(|p| p.contains("stepInfoList"));
                let expected = if is_werun {
                    Diagnosis::WeRunData
                } else {
                    Diagnosis::NotWeRunData
                };
                assert_eq!(diagnosis, expected, "{id}");
            }
            "ERROR_BAD_PADDING" => {
                let mut out = [StepInfo::default(); 32];
                let r = decrypt_steps(
                    &c.key,
                    &c.iv,
                    c.data.as_bytes(),
                    &options(v),
                    &mut scratch,
                    &mut out,
                );
                assert_eq!(r.unwrap_err(), Error::DecryptFailed, "{id}");
                let d = diagnose(
                    &c.key,
                    &c.iv,
                    c.data.as_bytes(),
                    Base64Mode::Repair,
                    &mut scratch,
                )
                .unwrap();
                assert_eq!(d, Diagnosis::SessionKeyMismatch, "{id}");
            }
            "PADDING_OK_BUT_FIRST_BLOCK_GARBLED" => {
                let r = open_data(&c.key, &c.iv, c.data.as_bytes(), &options(v), &mut scratch);
                assert_eq!(r.unwrap_err(), Error::DecryptFailed, "{id}");
                let d = diagnose(
                    &c.key,
                    &c.iv,
                    c.data.as_bytes(),
                    Base64Mode::Repair,
                    &mut scratch,
                )
                .unwrap();
                assert_eq!(d, Diagnosis::IvMismatch, "{id}");
            }
            other => panic!("{id}: unknown result {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, all.len());
}

#[test]
fn real_werun_payloads_give_their_steps() {
    for v in vectors() {
        let Some(plaintext) = v["plaintext"]
            .as_str()
            .filter(|p| p.contains("stepInfoList"))
        else {
            continue;
        };
        let c = case(&v);
        let reference: Value = serde_json::from_str(plaintext).unwrap();
        let want: Vec<(i64, u32)> = reference["stepInfoList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["timestamp"].as_i64().unwrap(),
                    e["step"].as_u64().unwrap() as u32,
                )
            })
            .collect();
        let mut scratch = vec![0u8; werun::scratch_len(c.data.len())];
        let mut out = [StepInfo::default(); 32];
        let d = decrypt_steps(
            &c.key,
            &c.iv,
            c.data.as_bytes(),
            &options(&v),
            &mut scratch,
            &mut out,
        )
        .unwrap();
        let got: Vec<_> = d.steps.iter().map(|s| (s.timestamp, s.step)).collect();
        assert_eq!(got, want, "{}", v["id"]);
        assert_eq!(
            d.watermark.map(|w| w.timestamp),
            reference["watermark"]["timestamp"].as_i64()
        );
    }
}
