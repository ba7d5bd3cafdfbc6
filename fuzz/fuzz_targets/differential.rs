//! werun end to end against an independent reference. The plaintext comes from the fuzzer; the
//! target pads it (PKCS#7), encrypts it (aes + cbc crates, fixed key and IV) and base64-encodes
//! it, then demands that `decrypt_steps`, `decrypt_steps_in_place`, `open_data` and
//! `open_data_in_place` give exactly what a reference built on serde_json expects (status,
//! steps, watermark, JSON). Inputs on which the two legitimately differ are skipped (see
//! `common::comparable`).
//!
//! Input: a config byte (bit 0 expect the appid / skip the check, bit 1 freshness, bit 2 raw:
//! encrypt the plaintext's whole blocks without adding padding, so that werun's unpadding is
//! compared too), a capacity byte (0..=63), then the plaintext.
#![no_main]

mod common;

use common::{
    b64, comparable, encrypt_blocks, pkcs7, reference_doc, reference_unpad, RefDoc, APPID, IV, KEY,
};
use libfuzzer_sys::fuzz_target;
use werun::{
    decrypt_steps, decrypt_steps_in_place, open_data, open_data_in_place, Error, Iv, Options,
    SessionKey, StepInfo,
};

const NOW: i64 = 1_717_171_200;
const MAX_AGE: u64 = 86_400;

type Expected = Result<(Option<Vec<(i64, u32)>>, Option<i64>), Error>;

/// What werun must answer for the reference reading `doc` of the plaintext.
fn expected(doc: Option<RefDoc>, expect_appid: bool, fresh: bool, cap: usize) -> Expected {
    let doc = doc.ok_or(Error::DecryptFailed)?;
    if expect_appid && doc.watermark.as_ref().is_none_or(|w| w.appid != APPID) {
        return Err(Error::AppIdMismatch);
    }
    let timestamp = doc.watermark.as_ref().map(|w| w.timestamp);
    if fresh {
        let ts = timestamp.ok_or(Error::WatermarkExpired)?;
        let age = i128::from(NOW) - i128::from(ts);
        if !(0..=i128::from(MAX_AGE)).contains(&age) {
            return Err(Error::WatermarkExpired);
        }
    }
    if doc.steps.as_ref().is_some_and(|s| s.len() > cap) {
        return Err(Error::CapacityExceeded);
    }
    Ok((doc.steps, timestamp))
}

fuzz_target!(|data: &[u8]| {
    let [config, cap, plaintext @ ..] = data else {
        return;
    };
    let (expect_appid, fresh, raw) = (config & 1 != 0, config & 2 != 0, config & 4 != 0);
    let cap = usize::from(cap % 64);
    if !comparable(plaintext) {
        return;
    }
    let (padded, message) = if raw {
        if plaintext.is_empty() || plaintext.len() % 16 != 0 {
            return;
        }
        match reference_unpad(plaintext) {
            Some(n) => (plaintext.to_vec(), Some(&plaintext[..n])),
            None => (plaintext.to_vec(), None),
        }
    } else {
        (pkcs7(plaintext), Some(plaintext))
    };
    if message.is_some_and(|m| !comparable(m)) {
        return;
    }
    let text = b64(&encrypt_blocks(&KEY, &IV, &padded));

    let options = if expect_appid {
        Options::expect_appid(APPID)
    } else {
        Options::skip_appid_check()
    };
    let options = if fresh {
        options.max_age(NOW, MAX_AGE)
    } else {
        options
    };
    let (key, iv) = (SessionKey::from_bytes(KEY), Iv::from_bytes(IV));

    // WeRun steps, with a scratch buffer and in place.
    let want = expected(
        message.and_then(|m| reference_doc(m, true)),
        expect_appid,
        fresh,
        cap,
    );
    let mut scratch = vec![0xA5u8; werun::scratch_len(text.len())];
    let mut out = vec![StepInfo::default(); cap];
    let got =
        decrypt_steps(&key, &iv, text.as_bytes(), &options, &mut scratch, &mut out).map(|d| {
            let steps = d.steps.iter().map(|s| (s.timestamp, s.step)).collect();
            (Some(steps), d.watermark.map(|w| w.timestamp))
        });
    assert_eq!(got, want, "decrypt_steps");
    assert!(
        scratch.iter().all(|&b| b == 0 || b == 0xA5),
        "scratch not wiped"
    );
    if got.is_err() {
        assert!(
            out.iter().all(|s| *s == StepInfo::default()),
            "partial output"
        );
    }
    let mut copy = text.clone().into_bytes();
    let got_in_place = decrypt_steps_in_place(&key, &iv, &mut copy, &options, &mut out).map(|d| {
        let steps = d.steps.iter().map(|s| (s.timestamp, s.step)).collect();
        (Some(steps), d.watermark.map(|w| w.timestamp))
    });
    assert_eq!(got_in_place, want, "decrypt_steps_in_place");
    let original = text.as_bytes();
    assert!(
        copy.iter().zip(original).all(|(&b, &o)| b == 0 || b == o),
        "in-place buffer not wiped"
    );

    // Any open data: the JSON comes back unchanged.
    let want = expected(
        message.and_then(|m| reference_doc(m, false)),
        expect_appid,
        fresh,
        usize::MAX,
    )
    .map(|(_, ts)| (message.map(<[u8]>::to_vec), ts));
    let mut scratch = vec![0xA5u8; werun::scratch_len(text.len())];
    let got = open_data(&key, &iv, text.as_bytes(), &options, &mut scratch).map(|d| {
        (
            Some(d.json.as_bytes().to_vec()),
            d.watermark.map(|w| w.timestamp),
        )
    });
    assert_eq!(got, want, "open_data");
    let json_len = got
        .as_ref()
        .map_or(0, |(j, _)| j.as_ref().map_or(0, Vec::len));
    assert!(
        scratch[json_len..].iter().all(|&b| b == 0 || b == 0xA5),
        "open_data left bytes after the JSON"
    );
    let mut copy = text.clone().into_bytes();
    let got = open_data_in_place(&key, &iv, &mut copy, &options).map(|d| {
        (
            Some(d.json.as_bytes().to_vec()),
            d.watermark.map(|w| w.timestamp),
        )
    });
    assert_eq!(got, want, "open_data_in_place");
});
