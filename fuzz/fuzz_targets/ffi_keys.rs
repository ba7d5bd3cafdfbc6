//! `werun_decrypt_steps_with_keys` against the one-key call it generalises: for any candidate
//! list (1 to 4 keys among the right one, wrong ones, damaged and arbitrary texts; also 0 and 5
//! keys) and any data (a WeRun document encrypted under the right key, damaged, or raw bytes):
//!
//! * 0 or more than 4 keys: `INVALID_ARGUMENT`, nothing written;
//! * a candidate that `werun_decrypt_steps` refuses as a key: `SESSION_KEY_INVALID`;
//! * otherwise the result is the first candidate's whose one-key call decrypts the data (status,
//!   steps, summary) with its index, or, when none does, `DECRYPT_FAILED` (or the error the data
//!   has before decryption) exactly as the one-key call reports it;
//! * the step array is all zero after statuses 2..=10, `out_key_index` and `out_summary` are
//!   untouched on failure, the scratch holds only its old bytes or zeros;
//! * `werun_status_wx_code` of the status is one of WXBizDataCrypt's codes.
#![no_main]

mod common;

use common::{b64, damage, encrypt_blocks, pkcs7, APPID, IV, KEY};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use werun::ffi::*;
use werun::StepInfo;

#[derive(Arbitrary, Debug)]
enum Candidate {
    /// The right key, damaged as `common::damage` does.
    Right(u8),
    /// A wrong key (16 bytes) in base64.
    Wrong([u8; 16]),
    /// Bytes as given.
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    candidates: Vec<Candidate>,
    entries: u8,
    raw_data: Option<Vec<u8>>,
    data_damage: u8,
    strict: bool,
    other_appid: bool,
    capacity: u8,
    scratch_short: u8,
}

const PATTERN: StepInfo = StepInfo {
    timestamp: 0x5A5A_5A5A_5A5A,
    step: 0xA5A5_A5A5,
};

fn document(entries: u8) -> Vec<u8> {
    let list: Vec<String> = (0..entries)
        .map(|i| format!("{{\"timestamp\":{},\"step\":{}}}", 1_717_171_200 + 86_400 * i64::from(i), u32::from(i) * 7))
        .collect();
    format!(
        "{{\"stepInfoList\":[{}],\"watermark\":{{\"timestamp\":1717171300,\"appid\":\"{APPID}\"}}}}",
        list.join(",")
    )
    .into_bytes()
}

struct Outcome {
    status: werun_status,
    steps: Vec<StepInfo>,
    summary: (usize, i64, u8),
    index: usize,
}

fn options(appid: &str, strict: bool) -> werun_options {
    werun_options {
        appid: appid.as_ptr(),
        appid_len: appid.len(),
        flags: if strict { WERUN_OPTION_STRICT_BASE64 } else { 0 },
        now: 0,
        max_age: 0,
    }
}

fn one_key(key: &[u8], iv: &str, data: &[u8], o: &werun_options, cap: usize) -> Outcome {
    let mut scratch = vec![0u8; werun_scratch_len(data.len())];
    let mut steps = vec![PATTERN; cap];
    let mut summary = werun_summary::default();
    let status = werun_decrypt_steps(
        key.as_ptr(), key.len(), iv.as_ptr(), iv.len(), data.as_ptr(), data.len(), o,
        scratch.as_mut_ptr(), scratch.len(), steps.as_mut_ptr(), steps.len(), &mut summary,
    );
    Outcome {
        status,
        steps,
        summary: (summary.count, summary.watermark_timestamp, summary.has_watermark),
        index: 0,
    }
}

fuzz_target!(|input: Input| {
    let texts: Vec<Vec<u8>> = input
        .candidates
        .iter()
        .take(6)
        .map(|c| match c {
            Candidate::Right(how) => damage(&b64(&KEY), *how).into_bytes(),
            Candidate::Wrong(k) => b64(k).into_bytes(),
            Candidate::Raw(bytes) => bytes.clone(),
        })
        .collect();
    let iv = b64(&IV);
    let data: Vec<u8> = match &input.raw_data {
        Some(raw) => raw.clone(),
        None => damage(
            &b64(&encrypt_blocks(&KEY, &IV, &pkcs7(&document(input.entries % 40)))),
            input.data_damage,
        )
        .into_bytes(),
    };
    let appid = if input.other_appid { "wx0000000000000000" } else { APPID };
    let o = options(appid, input.strict);
    let cap = usize::from(input.capacity % 40);

    let entries: Vec<werun_bytes> = texts
        .iter()
        .map(|t| werun_bytes { ptr: t.as_ptr(), len: t.len() })
        .collect();
    let full = werun_scratch_len_with_keys(data.len());
    let mut scratch = vec![0xA5u8; full.saturating_sub(usize::from(input.scratch_short % 4) * 8)];
    let mut steps = vec![PATTERN; cap];
    let mut summary = werun_summary { count: 77, watermark_timestamp: 77, has_watermark: 7 };
    let mut index = usize::MAX;
    let status = werun_decrypt_steps_with_keys(
        entries.as_ptr(), entries.len(), iv.as_ptr(), iv.len(), data.as_ptr(), data.len(), &o,
        scratch.as_mut_ptr(), scratch.len(), steps.as_mut_ptr(), steps.len(), &mut summary,
        &mut index,
    );
    let wx = werun_status_wx_code(status as u32);
    assert!([0, -41001, -41002, -41003, -41004].contains(&wx), "{status:?} -> {wx}");
    assert!(scratch.iter().all(|&b| b == 0 || b == 0xA5), "scratch holds data");
    let code = status as u32;
    if status != werun_status::Ok {
        assert_eq!(index, usize::MAX, "out_key_index written on failure");
        assert_eq!((summary.count, summary.watermark_timestamp, summary.has_watermark), (77, 77, 7));
        if (2..=10).contains(&code) {
            assert!(steps.iter().all(|s| *s == StepInfo::default()), "{status:?}: steps not zeroed");
        }
    }
    if texts.is_empty() || texts.len() > WERUN_MAX_CANDIDATE_KEYS {
        assert_eq!(status, werun_status::InvalidArgument);
        assert!(steps.iter().all(|s| *s == PATTERN));
        return;
    }
    if scratch.len() < full && status == werun_status::BufferTooSmall {
        return; // the reference call has its own (smaller) scratch size
    }

    // The reference: each candidate alone through the one-key call, in order.
    let singles: Vec<Outcome> = texts.iter().map(|t| one_key(t, &iv, &data, &o, cap)).collect();
    if let Some(bad) = singles.iter().find(|s| s.status == werun_status::SessionKeyInvalid) {
        assert_eq!(status, bad.status);
        return;
    }
    let decided = singles
        .iter()
        .enumerate()
        .find(|(_, s)| s.status != werun_status::DecryptFailed)
        .map(|(i, s)| Outcome { index: i, ..Outcome { status: s.status, steps: s.steps.clone(), summary: s.summary, index: 0 } });
    match decided {
        // A status found before decryption (iv, base64, length) is the same for every key.
        Some(d) if (3..=6).contains(&(d.status as u32)) => {
            if scratch.len() >= full {
                assert_eq!(status, d.status);
            }
        }
        Some(d) => {
            assert_eq!(status, d.status, "candidate {} decides", d.index);
            if status == werun_status::Ok {
                assert_eq!(index, d.index);
                assert_eq!(steps[..summary.count], d.steps[..d.summary.0]);
                assert_eq!((summary.count, summary.watermark_timestamp, summary.has_watermark), d.summary);
            }
        }
        None => assert_eq!(status, werun_status::DecryptFailed),
    }
});
