#![allow(clippy::useless_format, clippy::manual_is_multiple_of)]
//! The deterministic generator of `tests/vectors/werun.json` and its C form
//! `tests/vectors/werun_vectors.h`.
//!
//! Every expectation here comes from how the case was built (the step list that was encrypted,
//! the key that was swapped, ...), never from running werun. `tests/vectors.rs` fails when the
//! checked-in files differ from this output; `WERUN_BLESS=1 cargo test --test vectors`
//! rewrites them.

use aes::Aes128;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, InOutBuf, KeyIvInit};
use serde_json::{json, Value};

/// splitmix64: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn bytes16(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes());
        b
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= n {
                s.push(A[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// PKCS#7 padding to whole 16-byte blocks.
pub fn pkcs7(plaintext: &[u8]) -> Vec<u8> {
    let pad = 16 - plaintext.len() % 16;
    let mut v = plaintext.to_vec();
    v.extend(std::iter::repeat_n(pad as u8, pad));
    v
}

/// AES-128-CBC over whole blocks (the caller pads).
pub fn encrypt_blocks(key: &[u8; 16], iv: &[u8; 16], padded: &[u8]) -> Vec<u8> {
    assert_eq!(padded.len() % 16, 0);
    let mut buf = padded.to_vec();
    let mut enc = cbc::Encryptor::<Aes128>::new(key.into(), iv.into());
    let (blocks, _) = InOutBuf::from(&mut buf[..]).into_chunks();
    enc.encrypt_blocks_inout(blocks);
    buf
}

fn decrypt_blocks(key: &[u8; 16], iv: &[u8; 16], ct: &[u8]) -> Vec<u8> {
    let mut buf = ct.to_vec();
    let mut dec = cbc::Decryptor::<Aes128>::new(key.into(), iv.into());
    let (blocks, _) = InOutBuf::from(&mut buf[..]).into_chunks();
    dec.decrypt_blocks_inout(blocks);
    buf
}

/// A straightforward (not constant-time) strict PKCS#7 check, independent of werun's.
fn padding_valid(plain: &[u8]) -> bool {
    let Some(&pad) = plain.last() else {
        return false;
    };
    (1..=16).contains(&pad)
        && plain.len() >= pad as usize
        && plain[plain.len() - pad as usize..]
            .iter()
            .all(|&b| b == pad)
}

pub const APPID: &str = "wx4f4bc4dec97d474b";
/// 2024-06-01 00:00 UTC+8.
const DAY0: i64 = 1_717_171_200;

fn step_list(rng: &mut Rng, n: usize) -> Vec<(i64, u32)> {
    (0..n)
        .map(|i| {
            let day = DAY0 - 86_400 * (n as i64 - 1 - i as i64);
            // About one day in eight without steps, as in real data.
            let steps = if rng.below(8) == 0 {
                0
            } else {
                rng.below(22_000) as u32
            };
            (day, steps)
        })
        .collect()
}

fn compact(steps: &[(i64, u32)], watermark: Option<(i64, &str)>) -> String {
    let list: Vec<String> = steps
        .iter()
        .map(|(t, s)| format!("{{\"timestamp\":{t},\"step\":{s}}}"))
        .collect();
    let mut s = format!("{{\"stepInfoList\":[{}]", list.join(","));
    if let Some((ts, appid)) = watermark {
        s += &format!(",\"watermark\":{{\"timestamp\":{ts},\"appid\":\"{appid}\"}}");
    }
    s + "}"
}

/// One vector. `None` in an expectation means "not applicable".
#[derive(Clone)]
pub struct Case {
    id: String,
    description: String,
    session_key: String,
    iv: String,
    encrypted_data: String,
    appid: Option<String>,
    freshness: Option<(i64, u64)>,
    strict_base64: bool,
    capacity: usize,
    scratch_len: Option<usize>,
    open_data: bool,
    status: &'static str,
    steps: Vec<(i64, u32)>,
    watermark_timestamp: Option<i64>,
    json: Option<String>,
    diagnosis: Option<&'static str>,
}

struct Builder {
    rng: Rng,
    cases: Vec<Case>,
}

impl Builder {
    /// An OK WeRun case from `plaintext`, with a fresh key and IV.
    fn werun(
        &mut self,
        id: &str,
        description: &str,
        plaintext: &str,
        steps: Vec<(i64, u32)>,
        wm: Option<i64>,
    ) -> &mut Case {
        let key = self.rng.bytes16();
        let iv = self.rng.bytes16();
        let ct = encrypt_blocks(&key, &iv, &pkcs7(plaintext.as_bytes()));
        self.cases.push(Case {
            id: id.into(),
            description: description.into(),
            session_key: b64(&key),
            iv: b64(&iv),
            encrypted_data: b64(&ct),
            appid: Some(APPID.into()),
            freshness: None,
            strict_base64: false,
            capacity: 32,
            scratch_len: None,
            open_data: false,
            status: "OK",
            steps,
            watermark_timestamp: wm,
            json: None,
            diagnosis: Some("WERUN_DATA"),
        });
        self.cases.last_mut().unwrap()
    }

    /// A case whose (already padded) plaintext must fail with DECRYPT_FAILED.
    fn failing(
        &mut self,
        id: &str,
        description: &str,
        padded: &[u8],
        diagnosis: &'static str,
    ) -> &mut Case {
        let key = self.rng.bytes16();
        let iv = self.rng.bytes16();
        let ct = encrypt_blocks(&key, &iv, padded);
        self.cases.push(Case {
            id: id.into(),
            description: description.into(),
            session_key: b64(&key),
            iv: b64(&iv),
            encrypted_data: b64(&ct),
            appid: Some(APPID.into()),
            freshness: None,
            strict_base64: false,
            capacity: 32,
            scratch_len: None,
            open_data: false,
            status: "DECRYPT_FAILED",
            steps: vec![],
            watermark_timestamp: None,
            json: None,
            diagnosis: Some(diagnosis),
        });
        self.cases.last_mut().unwrap()
    }

    /// A copy of case `from` under a new id, to be modified.
    fn variant(&mut self, from: &str, id: &str, description: &str) -> &mut Case {
        let mut c = self.cases.iter().find(|c| c.id == from).unwrap().clone();
        c.id = id.into();
        c.description = description.into();
        self.cases.push(c);
        self.cases.last_mut().unwrap()
    }
}

impl Case {
    fn fail(&mut self, status: &'static str) -> &mut Self {
        self.status = status;
        self.steps.clear();
        self.watermark_timestamp = None;
        self.json = None;
        self
    }
    fn diagnosis(&mut self, d: Option<&'static str>) -> &mut Self {
        // (also used to clear it for inputs that fail before decryption)
        self.diagnosis = d;
        self
    }
}

/// All the vectors, in file order. The first is the bundled 31-entry sample.
pub fn cases() -> Vec<Case> {
    let mut b = Builder {
        rng: Rng(20_261_123),
        cases: vec![],
    };
    let wm = DAY0 + 8 * 3600 + 1234;

    // --- entry counts and capacity ---
    for (id, n, what) in [
        (
            "sample-31-entries",
            31,
            "the bundled sample: 31 entries (30 days and today), compact, as WeChat sends it",
        ),
        ("entries-0", 0, "an empty stepInfoList"),
        ("entries-1", 1, "one entry"),
        ("entries-30", 30, "30 entries"),
        (
            "entries-32-fills-capacity",
            32,
            "exactly the default capacity",
        ),
    ] {
        let steps = step_list(&mut b.rng, n);
        let pt = compact(&steps, Some((wm, APPID)));
        b.werun(id, what, &pt, steps, Some(wm));
    }
    let steps = step_list(&mut b.rng, 33);
    let pt = compact(&steps, Some((wm, APPID)));
    b.werun(
        "entries-33-over-capacity",
        "one entry more than the capacity of 32",
        &pt,
        vec![],
        None,
    )
    .fail("CAPACITY_EXCEEDED")
    .diagnosis(Some("WERUN_DATA"));
    b.variant(
        "sample-31-entries",
        "sample-capacity-31",
        "31 entries into an output of exactly 31",
    )
    .capacity = 31;
    b.variant(
        "sample-31-entries",
        "sample-capacity-30",
        "31 entries into an output of 30",
    )
    .fail("CAPACITY_EXCEEDED")
    .capacity = 30;
    b.variant(
        "entries-0",
        "entries-0-capacity-0",
        "no entries into an output of 0",
    )
    .capacity = 0;

    // --- values at their limits ---
    let steps = vec![(0, 0), (-1, u32::MAX), (i64::MAX, 1), (i64::MIN, 22_000)];
    let pt = compact(&steps, Some((wm, APPID)));
    b.werun(
        "extreme-values",
        "timestamps at i64's limits and negative, steps 0 and u32::MAX",
        &pt,
        steps,
        Some(wm),
    );

    // --- padding ---
    // Pad the plaintext with an unknown field until it is a whole number of blocks, so the padding
    // is one full block of 16 bytes of 0x10.
    let steps = step_list(&mut b.rng, 7);
    let mut filler = String::new();
    let pt = loop {
        let body = compact(&steps, Some((wm, APPID)));
        let pt = format!("{},\"x\":\"{filler}\"}}", &body[..body.len() - 1]);
        if pt.len() % 16 == 0 {
            break pt;
        }
        filler.push('f');
    };
    b.werun(
        "full-padding-block",
        "plaintext a multiple of 16 bytes: the padding is a whole block",
        &pt,
        steps.clone(),
        Some(wm),
    );
    let body = compact(&steps, Some((wm, APPID)));
    for (id, what, pad) in [
        (
            "padding-zero",
            "last byte 0x00 (PKCS#7 never pads 0)",
            vec![0u8],
        ),
        (
            "padding-17",
            "last byte 0x11, longer than a block",
            vec![17u8; 17],
        ),
        ("padding-255", "last byte 0xff", vec![255u8]),
        (
            "padding-unequal-bytes",
            "last byte 0x04 but the byte before is 0x03",
            vec![4, 4, 3, 4],
        ),
        (
            "padding-16-one-wrong",
            "a full block of 0x10 with its first byte 0x0f",
            {
                let mut v = vec![16u8; 16];
                v[0] = 15;
                v
            },
        ),
    ] {
        let mut padded = body.as_bytes().to_vec();
        padded.extend(&pad);
        while padded.len() % 16 != 0 {
            padded.insert(0, b' ');
        }
        b.failing(
            id,
            &format!("bad padding: {what}"),
            &padded,
            "SESSION_KEY_MISMATCH",
        );
    }

    // --- wrong key, wrong iv ---
    {
        let src = b
            .cases
            .iter()
            .find(|c| c.id == "sample-31-entries")
            .unwrap()
            .clone();
        let ct = b64_decode(&src.encrypted_data);
        let iv = b64_decode(&src.iv).try_into().unwrap();
        // The first derived key whose decryption has invalid padding (255 keys in 256 do).
        let key = loop {
            let k = b.rng.bytes16();
            if !padding_valid(&decrypt_blocks(&k, &iv, &ct)) {
                break k;
            }
        };
        let c = b.variant(
            "sample-31-entries",
            "wrong-session-key",
            "another session_key (a stale login)",
        );
        c.session_key = b64(&key);
        c.fail("DECRYPT_FAILED")
            .diagnosis(Some("SESSION_KEY_MISMATCH"));
        let wrong_iv = b.rng.bytes16();
        let c = b.variant(
            "sample-31-entries",
            "wrong-iv",
            "another iv: only the first block is garbled",
        );
        c.iv = b64(&wrong_iv);
        c.fail("DECRYPT_FAILED").diagnosis(Some("IV_MISMATCH"));

        // encryptedData cut at a block boundary (a VARCHAR column, a URL length limit): the
        // blocks left still decrypt, to the beginning of the JSON.
        let blocks = ct.len() / 16;
        for (id, keep, what) in [
            ("truncated-1-block", blocks - 1, "the last block"),
            ("truncated-2-blocks", blocks - 2, "the last two blocks"),
            ("truncated-to-1-block", 1, "all but the first block"),
        ] {
            let c = b.variant(
                "sample-31-entries",
                id,
                &format!("encryptedData cut at a block boundary: {what} lost"),
            );
            c.encrypted_data = b64(&ct[..keep * 16]);
            c.fail("DECRYPT_FAILED").diagnosis(Some("TRUNCATED"));
        }
    }

    // --- not UTF-8, not JSON, not the shape ---
    let shape = |doc: &str| pkcs7(doc.as_bytes());
    let wmj = format!("\"watermark\":{{\"timestamp\":{wm},\"appid\":\"{APPID}\"}}");
    let mut bad_utf8 = format!("{{\"stepInfoList\":[],{wmj},\"x\":\"").into_bytes();
    bad_utf8.extend([0xC3, 0x28]);
    bad_utf8.extend(b"\"}");
    b.failing(
        "not-utf8",
        "invalid UTF-8 in a string",
        &pkcs7(&bad_utf8),
        "GARBLED",
    );
    b.failing(
        "not-json",
        "plain text, not JSON",
        &shape("hello, this is not JSON at all"),
        "GARBLED",
    );
    b.failing(
        "trailing-garbage",
        "a valid document followed by more text",
        &shape(&format!("{{\"stepInfoList\":[],{wmj}}}x")),
        "GARBLED",
    );
    b.failing(
        "truncated-json",
        "the document cut short",
        &shape(&format!(
            "{{\"stepInfoList\":[{{\"timestamp\":1,\"step\":2}}],{wmj}"
        )),
        "TRUNCATED",
    );
    for (id, what, doc) in [
        (
            "shape-top-level-array",
            "a JSON array, not an object",
            format!("[{{\"stepInfoList\":[]}}]"),
        ),
        (
            "shape-no-step-list",
            "an object without stepInfoList (user info)",
            format!("{{\"nickName\":\"Band\",{wmj}}}"),
        ),
        (
            "shape-step-list-object",
            "stepInfoList is an object",
            format!("{{\"stepInfoList\":{{}},{wmj}}}"),
        ),
        (
            "shape-step-as-string",
            "step is a string",
            format!("{{\"stepInfoList\":[{{\"timestamp\":1,\"step\":\"100\"}}],{wmj}}}"),
        ),
        (
            "shape-step-missing",
            "an entry without step",
            format!("{{\"stepInfoList\":[{{\"timestamp\":1}}],{wmj}}}"),
        ),
        (
            "shape-timestamp-missing",
            "an entry without timestamp",
            format!("{{\"stepInfoList\":[{{\"step\":1}}],{wmj}}}"),
        ),
        (
            "shape-step-negative",
            "a negative step",
            format!("{{\"stepInfoList\":[{{\"timestamp\":1,\"step\":-1}}],{wmj}}}"),
        ),
        (
            "shape-step-too-big",
            "step above u32::MAX",
            format!("{{\"stepInfoList\":[{{\"timestamp\":1,\"step\":4294967296}}],{wmj}}}"),
        ),
        (
            "shape-step-fraction",
            "step with a fraction",
            format!("{{\"stepInfoList\":[{{\"timestamp\":1,\"step\":1.5}}],{wmj}}}"),
        ),
        (
            "shape-timestamp-too-big",
            "timestamp above i64::MAX",
            format!(
                "{{\"stepInfoList\":[{{\"timestamp\":9223372036854775808,\"step\":1}}],{wmj}}}"
            ),
        ),
        (
            "shape-duplicate-step",
            "an entry with step twice",
            format!("{{\"stepInfoList\":[{{\"timestamp\":1,\"step\":1,\"step\":2}}],{wmj}}}"),
        ),
        (
            "shape-duplicate-list",
            "stepInfoList twice",
            format!("{{\"stepInfoList\":[],\"stepInfoList\":[],{wmj}}}"),
        ),
        (
            "shape-watermark-no-appid",
            "a watermark without appid",
            format!("{{\"stepInfoList\":[],\"watermark\":{{\"timestamp\":1}}}}"),
        ),
        (
            "shape-watermark-appid-number",
            "watermark.appid is a number",
            format!("{{\"stepInfoList\":[],\"watermark\":{{\"timestamp\":1,\"appid\":7}}}}"),
        ),
    ] {
        b.failing(
            id,
            &format!("not the WeRun shape: {what}"),
            &shape(&doc),
            "NOT_WERUN_DATA",
        );
    }

    // --- layouts other than WeChat's compact one ---
    let steps = step_list(&mut b.rng, 5);
    let entries: Vec<String> = steps
        .iter()
        .map(|(t, s)| format!("    {{ \"step\" : {s},\r\n\t\"timestamp\" : {t}, \"note\": [1, {{\"a\": null}}, \"x\"] }}"))
        .collect();
    let pt = format!(
        " {{\n  \"watermark\": {{ \"appid\": \"{APPID}\", \"extra\": true, \"timestamp\": {wm} }},\n  \"version\": 2.5e0,\n  \"stepInfoList\": [\n{}\n  ]\n}}\n",
        entries.join(",\n")
    );
    b.werun(
        "whitespace-reordered-unknown-fields",
        "pretty-printed, keys reordered, unknown fields everywhere",
        &pt,
        steps.clone(),
        Some(wm),
    );
    let escaped_appid: String = APPID
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let pt = format!(
        "{{\"step\\u0049nfoList\":[{{\"timestamp\":{},\"st\\u0065p\":{}}}],\"watermark\":{{\"timestamp\":{wm},\"appid\":\"{escaped_appid}\"}},\"nick\":\"\\\"\\u4e2d\\ud83d\\ude00\\\\\"}}",
        steps[0].0, steps[0].1
    );
    b.werun(
        "escaped-strings",
        "keys and appid written with \\u escapes; escaped quotes and a surrogate pair elsewhere",
        &pt,
        steps[..1].to_vec(),
        Some(wm),
    );
    let pt = format!(
        "{{\"stepInfoList\":[],{wmj},\"deep\":{}1{}}}",
        "[".repeat(100),
        "]".repeat(100)
    );
    b.werun(
        "deep-unknown-field",
        "an unknown field nested 100 deep",
        &pt,
        vec![],
        Some(wm),
    );

    // --- watermark and appid ---
    let steps = step_list(&mut b.rng, 3);
    let pt = compact(&steps, None);
    b.werun(
        "no-watermark-appid-checked",
        "no watermark while the appid is checked",
        &pt,
        vec![],
        None,
    )
    .fail("APPID_MISMATCH");
    b.variant(
        "no-watermark-appid-checked",
        "no-watermark-appid-skipped",
        "no watermark, appid check skipped explicitly (the documentation's example)",
    )
    .appid = None;
    {
        let c = b.cases.last_mut().unwrap();
        c.status = "OK";
        c.steps = steps.clone();
    }
    b.variant(
        "sample-31-entries",
        "wrong-appid",
        "the payload of another mini-program",
    )
    .fail("APPID_MISMATCH")
    .appid = Some("wx0000000000000000".into());
    b.variant(
        "sample-31-entries",
        "appid-prefix",
        "the expected appid is a prefix of the real one",
    )
    .fail("APPID_MISMATCH")
    .appid = Some(APPID[..10].into());
    b.variant(
        "sample-31-entries",
        "appid-longer",
        "the real appid is a prefix of the expected one",
    )
    .fail("APPID_MISMATCH")
    .appid = Some(format!("{APPID}0"));
    b.variant("sample-31-entries", "appid-case", "the appid in upper case")
        .fail("APPID_MISMATCH")
        .appid = Some(APPID.to_uppercase());
    b.variant(
        "sample-31-entries",
        "appid-empty",
        "an empty expected appid (not a skip)",
    )
    .fail("APPID_MISMATCH")
    .appid = Some(String::new());
    b.variant(
        "sample-31-entries",
        "appid-skipped",
        "appid check skipped explicitly",
    )
    .appid = None;

    // --- freshness ---
    b.variant(
        "sample-31-entries",
        "fresh",
        "watermark 1 hour old, 1 day allowed",
    )
    .freshness = Some((wm + 3600, 86_400));
    b.variant(
        "sample-31-entries",
        "fresh-at-limit",
        "watermark exactly max_age old",
    )
    .freshness = Some((wm + 600, 600));
    b.variant(
        "sample-31-entries",
        "fresh-same-second",
        "watermark from this second, max_age 0",
    )
    .freshness = Some((wm, 0));
    b.variant("sample-31-entries", "stale", "watermark one second too old")
        .fail("WATERMARK_EXPIRED")
        .freshness = Some((wm + 601, 600));
    b.variant(
        "sample-31-entries",
        "future",
        "watermark one second in the future",
    )
    .fail("WATERMARK_EXPIRED")
    .freshness = Some((wm - 1, 600));
    b.variant(
        "sample-31-entries",
        "stale-extreme-now",
        "now = i64::MIN (the age overflows)",
    )
    .fail("WATERMARK_EXPIRED")
    .freshness = Some((i64::MIN, u64::MAX));
    b.variant(
        "no-watermark-appid-skipped",
        "no-watermark-freshness",
        "freshness asked, no watermark to prove it",
    )
    .fail("WATERMARK_EXPIRED")
    .freshness = Some((wm, 86_400));
    b.variant(
        "wrong-appid",
        "wrong-appid-and-stale",
        "both wrong: the appid is reported first",
    )
    .freshness = Some((wm + 601, 600));

    // --- base64 repairs and strict mode ---
    let sample = b
        .cases
        .iter()
        .find(|c| c.id == "sample-31-entries")
        .unwrap()
        .clone();
    assert!(sample.encrypted_data.contains('+') && sample.encrypted_data.contains('/'));
    let crlf: String = sample
        .encrypted_data
        .as_bytes()
        .chunks(76)
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n");
    let repairs: Vec<(&str, &str, String, Option<&str>)> = vec![
        (
            "repair-space-for-plus",
            "every '+' arrived as ' ' (URL-decoded)",
            sample.encrypted_data.replace('+', " "),
            None,
        ),
        (
            "repair-crlf-wrapped",
            "wrapped at 76 columns with CRLF (MIME)",
            crlf,
            None,
        ),
        (
            "repair-tabs-and-newlines",
            "a tab, LF and CR scattered",
            {
                let mut s = sample.encrypted_data.clone();
                s.insert(100, '\t');
                s.insert(7, '\n');
                s.insert(3, '\r');
                s + "\n"
            },
            None,
        ),
        (
            "repair-url-safe",
            "URL-safe alphabet ('-', '_')",
            sample.encrypted_data.replace('+', "-").replace('/', "_"),
            None,
        ),
        (
            "repair-key-iv-url-safe-unpadded",
            "session_key and iv URL-safe and unpadded",
            sample.encrypted_data.clone(),
            Some("key"),
        ),
    ];
    // A 31-entry ciphertext (1248 bytes) needs no '=': take the first OK case that does.
    let padded = b
        .cases
        .iter()
        .find(|c| c.status == "OK" && c.encrypted_data.ends_with("==") && !c.open_data)
        .unwrap()
        .id
        .clone();
    let c = b.variant(
        &padded,
        "repair-no-padding",
        "base64 repair: '=' padding removed",
    );
    c.encrypted_data = c.encrypted_data.trim_end_matches('=').to_string();
    b.variant(
        "repair-no-padding",
        "repair-no-padding-strict",
        "strict base64 refuses: '=' padding removed",
    )
    .fail("ENCRYPTED_DATA_INVALID")
    .diagnosis(None)
    .strict_base64 = true;
    for (id, what, data, which) in repairs {
        let c = b.variant("sample-31-entries", id, &format!("base64 repair: {what}"));
        c.encrypted_data = data;
        let mut strict_status = "ENCRYPTED_DATA_INVALID";
        if which == Some("key") {
            let fix = |s: &str| {
                s.replace('+', "-")
                    .replace('/', "_")
                    .trim_end_matches('=')
                    .to_string()
            };
            c.session_key = fix(&c.session_key);
            c.iv = fix(&c.iv);
            assert!(c.session_key.contains(['-', '_']) || c.iv.contains(['-', '_']));
            strict_status = "SESSION_KEY_INVALID";
        }
        let strict = b.variant(
            id,
            &format!("{id}-strict"),
            &format!("strict base64 refuses: {what}"),
        );
        strict.strict_base64 = true;
        strict.fail(strict_status).diagnosis(None);
    }
    b.variant(
        "sample-31-entries",
        "strict-canonical",
        "strict mode accepts canonical base64",
    )
    .strict_base64 = true;

    // Percent-encoded '+', '/', '=' (URL-encoded twice on the way, or by a form library):
    // repaired in each input, refused in strict mode.
    let percent = |s: &str, lower: bool| {
        let (plus, slash, eq) = if lower {
            ("%2b", "%2f", "%3d")
        } else {
            ("%2B", "%2F", "%3D")
        };
        s.replace('+', plus).replace('/', slash).replace('=', eq)
    };
    let data_source = padded.clone();
    for (id, what, strict_status) in [
        (
            "repair-data-percent",
            "'+', '/', '=' in encryptedData as %2B, %2f, %3D",
            "ENCRYPTED_DATA_INVALID",
        ),
        (
            "repair-key-percent",
            "'+', '/', '=' in session_key as %2B, %2F, %3D",
            "SESSION_KEY_INVALID",
        ),
        (
            "repair-iv-percent",
            "'+', '/', '=' in iv as %2b, %2f, %3d",
            "IV_INVALID",
        ),
    ] {
        let c = b.variant(&data_source, id, &format!("base64 repair: {what}"));
        match id {
            "repair-data-percent" => {
                let upper = percent(&c.encrypted_data, false);
                // Both cases in one text: the first escape of each kind in lower case.
                c.encrypted_data = upper.replacen("%2F", "%2f", 1);
                assert!(c.encrypted_data.contains("%2B") && c.encrypted_data.contains("%3D"));
            }
            "repair-key-percent" => c.session_key = percent(&c.session_key, false),
            _ => c.iv = percent(&c.iv, true),
        }
        let strict = b.variant(
            id,
            &format!("{id}-strict"),
            &format!("strict base64 refuses: {what}"),
        );
        strict.strict_base64 = true;
        strict.fail(strict_status).diagnosis(None);
    }

    // --- invalid inputs ---
    let mut invalid = |id: &str, what: &str, status: &'static str, f: &dyn Fn(&mut Case)| {
        let c = b.variant("sample-31-entries", id, what);
        f(c);
        c.fail(status).diagnosis(None);
    };
    invalid(
        "data-percent-other",
        "a percent escape other than %2B, %2F, %3D (here %2C, a ',')",
        "ENCRYPTED_DATA_INVALID",
        &|c| c.encrypted_data.insert_str(8, "%2C"),
    );
    invalid(
        "key-percent-other",
        "a percent escape other than %2B, %2F, %3D in session_key",
        "SESSION_KEY_INVALID",
        &|c| c.session_key = c.session_key.replacen('=', "%3E", 1),
    );
    invalid(
        "data-star",
        "a '*' in encryptedData",
        "ENCRYPTED_DATA_INVALID",
        &|c| c.encrypted_data.insert(10, '*'),
    );
    invalid(
        "data-padding-in-middle",
        "'=' in the middle",
        "ENCRYPTED_DATA_INVALID",
        &|c| c.encrypted_data.insert(8, '='),
    );
    invalid(
        "data-one-char-too-many",
        "one dangling character (length 4n+1)",
        "ENCRYPTED_DATA_INVALID",
        &|c| c.encrypted_data = c.encrypted_data.trim_end_matches('=').to_string() + "A",
    );
    invalid(
        "data-too-much-padding",
        "three '='",
        "ENCRYPTED_DATA_INVALID",
        &|c| c.encrypted_data.push('='),
    );
    invalid(
        "data-non-canonical",
        "non-zero unused bits in the last character",
        "ENCRYPTED_DATA_INVALID",
        &|c| c.encrypted_data = b64(&[0u8; 16]).replace("AA==", "AB=="),
    );
    invalid(
        "data-empty",
        "empty encryptedData",
        "CIPHERTEXT_LENGTH",
        &|c| c.encrypted_data.clear(),
    );
    invalid("data-15-bytes", "15 bytes", "CIPHERTEXT_LENGTH", &|c| {
        c.encrypted_data = b64(&[7u8; 15])
    });
    invalid("data-17-bytes", "17 bytes", "CIPHERTEXT_LENGTH", &|c| {
        c.encrypted_data = b64(&[7u8; 17])
    });
    invalid(
        "data-only-whitespace",
        "only whitespace",
        "CIPHERTEXT_LENGTH",
        &|c| c.encrypted_data = "\r\n\t".into(),
    );
    invalid(
        "key-not-base64",
        "session_key with '!'",
        "SESSION_KEY_INVALID",
        &|c| c.session_key.replace_range(0..1, "!"),
    );
    invalid(
        "key-24-bytes",
        "a 24-byte session_key (AES-192 is not WeChat's)",
        "SESSION_KEY_INVALID",
        &|c| c.session_key = b64(&[1u8; 24]),
    );
    invalid(
        "key-15-bytes",
        "a 15-byte session_key",
        "SESSION_KEY_INVALID",
        &|c| c.session_key = b64(&[1u8; 15]),
    );
    invalid(
        "key-empty",
        "an empty session_key",
        "SESSION_KEY_INVALID",
        &|c| c.session_key.clear(),
    );
    invalid(
        "key-non-canonical",
        "session_key with non-zero unused bits",
        "SESSION_KEY_INVALID",
        &|c| c.session_key = b64(&[0u8; 16]).replace("AA==", "AB=="),
    );
    invalid("iv-8-bytes", "an 8-byte iv", "IV_INVALID", &|c| {
        c.iv = b64(&[1u8; 8])
    });
    invalid("iv-not-base64", "iv with a '.'", "IV_INVALID", &|c| {
        c.iv.insert(5, '.')
    });
    invalid(
        "key-and-iv-invalid",
        "both invalid: the session_key is reported first",
        "SESSION_KEY_INVALID",
        &|c| {
            c.session_key = "x".into();
            c.iv = "y".into();
        },
    );
    invalid(
        "key-invalid-and-data-empty",
        "session_key and data invalid: session_key first",
        "SESSION_KEY_INVALID",
        &|c| {
            c.session_key = "x".into();
            c.encrypted_data.clear();
        },
    );
    invalid(
        "scratch-too-small",
        "a scratch buffer one byte short of the ciphertext",
        "BUFFER_TOO_SMALL",
        &|c| c.scratch_len = Some(b64_decode(&c.encrypted_data).len() - 1),
    );
    b.variant(
        "sample-31-entries",
        "scratch-exact",
        "a scratch buffer of exactly the ciphertext's size",
    )
    .scratch_len = Some(b64_decode(&sample.encrypted_data).len());

    // --- open data (phone number, user info) ---
    for (id, what, doc) in [
        ("open-data-phone", "a getPhoneNumber payload", format!("{{\"phoneNumber\":\"+8613800138000\",\"purePhoneNumber\":\"13800138000\",\"countryCode\":\"86\",{wmj}}}")),
        ("open-data-userinfo", "a getUserInfo payload with non-ASCII text", format!("{{\"openId\":\"oGZUI0egBJY1zhBYw2KhdUfwVJJE\",\"nickName\":\"小明\",\"gender\":1,\"city\":\"Guangzhou\",\"avatarUrl\":\"http:\\/\\/wx.qlogo.cn\\/0\",{wmj}}}")),
        ("open-data-werun", "WeRun data read as open data", compact(&[(DAY0, 42)], Some((wm, APPID)))),
    ] {
        let c = b.werun(id, what, &doc, vec![], Some(wm));
        c.open_data = true;
        c.json = Some(doc.clone());
        c.diagnosis = Some(if id == "open-data-werun" { "WERUN_DATA" } else { "NOT_WERUN_DATA" });
    }
    b.variant(
        "open-data-phone",
        "open-data-wrong-appid",
        "open data of another mini-program",
    )
    .fail("APPID_MISMATCH")
    .appid = Some("wx0000000000000000".into());
    let c = b.variant(
        "open-data-phone",
        "open-data-wrong-key",
        "open data with a stale session_key",
    );
    c.session_key = sample.session_key.clone();
    c.fail("DECRYPT_FAILED");
    c.diagnosis = Some("SESSION_KEY_MISMATCH");
    b.failing(
        "open-data-not-object",
        "open data that is a JSON string",
        &shape("\"just a string here\""),
        "NOT_WERUN_DATA",
    )
    .open_data = true;
    let c = b.variant(
        "open-data-phone",
        "open-data-skip-no-watermark",
        "open data without watermark, appid skipped",
    );
    let doc = "{\"openGId\":\"opengid_demo_001\"}";
    let key = b64_decode(&c.session_key).try_into().unwrap();
    let iv = b64_decode(&c.iv).try_into().unwrap();
    c.encrypted_data = b64(&encrypt_blocks(&key, &iv, &pkcs7(doc.as_bytes())));
    c.appid = None;
    c.json = Some(doc.into());
    c.watermark_timestamp = None;

    // --- duplicate keys ---
    // JSON leaves duplicate names to the reader; werun refuses every duplicate of a field it
    // reads, so that no reader downstream can see another value than the one werun checked.
    // Each document would decrypt if the reader kept the last (or the first) value, so a
    // reader that accepts duplicates fails these with OK or APPID_MISMATCH instead.
    let other = "wx0000000000000000";
    let wm_of = |appid: &str| format!("\"watermark\":{{\"timestamp\":{wm},\"appid\":\"{appid}\"}}");
    let entry = |t: i64, s: u32| format!("{{\"timestamp\":{t},\"step\":{s}}}");
    let (e1, e2) = (entry(DAY0 - 86_400, 1111), entry(DAY0, 2222));
    for (id, what, doc, open) in [
        (
            "duplicate-watermark-identical",
            "watermark twice, both the same valid one",
            format!("{{\"stepInfoList\":[{e1}],{wmj},{wmj}}}"),
            false,
        ),
        (
            "duplicate-watermark-other-first",
            "watermark twice: another appid's first, this appid's last",
            format!("{{\"stepInfoList\":[{e1}],{},{wmj}}}", wm_of(other)),
            false,
        ),
        (
            "duplicate-watermark-ours-first",
            "watermark twice: this appid's first, another appid's last",
            format!("{{\"stepInfoList\":[{e1}],{wmj},{}}}", wm_of(other)),
            false,
        ),
        (
            "duplicate-step-list-different",
            "stepInfoList twice, with different entries",
            format!("{{\"stepInfoList\":[{e1}],\"stepInfoList\":[{e2}],{wmj}}}"),
            false,
        ),
        (
            "duplicate-watermark-appid",
            "watermark.appid twice: another appid's first, this appid's last",
            format!(
                "{{\"stepInfoList\":[{e1}],\"watermark\":{{\"timestamp\":{wm},\"appid\":\"{other}\",\"appid\":\"{APPID}\"}}}}"
            ),
            false,
        ),
        (
            "duplicate-watermark-timestamp",
            "watermark.timestamp twice",
            format!(
                "{{\"stepInfoList\":[{e1}],\"watermark\":{{\"timestamp\":1,\"timestamp\":{wm},\"appid\":\"{APPID}\"}}}}"
            ),
            false,
        ),
        (
            "duplicate-entry-timestamp",
            "an entry with timestamp twice",
            format!(
                "{{\"stepInfoList\":[{{\"timestamp\":1,\"timestamp\":{DAY0},\"step\":5}}],{wmj}}}"
            ),
            false,
        ),
        (
            "open-data-duplicate-watermark",
            "open data with watermark twice: another appid's first, this appid's last",
            format!("{{\"openGId\":\"opengid_demo_002\",{},{wmj}}}", wm_of(other)),
            true,
        ),
        (
            "open-data-duplicate-watermark-appid",
            "open data with watermark.appid twice: another appid's first, this appid's last",
            format!(
                "{{\"openGId\":\"opengid_demo_003\",\"watermark\":{{\"timestamp\":{wm},\"appid\":\"{other}\",\"appid\":\"{APPID}\"}}}}"
            ),
            true,
        ),
    ] {
        b.failing(id, &format!("duplicate key: {what}"), &shape(&doc), "NOT_WERUN_DATA")
            .open_data = open;
    }

    // The wrong-key check above relied on the generator's own decryption; make sure the failing
    // cases' ciphertexts really are what they claim.
    for c in &b.cases {
        if c.diagnosis == Some("SESSION_KEY_MISMATCH") && c.status == "DECRYPT_FAILED" {
            let key: [u8; 16] = b64_decode(&c.session_key).try_into().unwrap();
            let iv: [u8; 16] = b64_decode(&c.iv).try_into().unwrap();
            assert!(
                !padding_valid(&decrypt_blocks(&key, &iv, &b64_decode(&c.encrypted_data))),
                "{}",
                c.id
            );
        }
    }
    b.cases
}

/// A plain decoder for the generator's own (canonical or repaired) output.
pub fn b64_decode(s: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = vec![];
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' | b' ' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

fn case_json(c: &Case) -> Value {
    json!({
        "id": c.id,
        "description": c.description,
        "session_key": c.session_key,
        "iv": c.iv,
        "encrypted_data": c.encrypted_data,
        "appid": c.appid,
        "now": c.freshness.map(|f| f.0),
        "max_age": c.freshness.map(|f| f.1),
        "strict_base64": c.strict_base64,
        "capacity": c.capacity,
        "scratch_len": c.scratch_len,
        "api": if c.open_data { "open_data" } else { "steps" },
        "expect": {
            "status": c.status,
            "steps": c.steps.iter().map(|(t, s)| json!([t, s])).collect::<Vec<_>>(),
            "watermark_timestamp": c.watermark_timestamp,
            "json": c.json,
            "diagnosis": c.diagnosis,
        },
    })
}

/// A vector for the calls with several candidate keys (`werun_decrypt_steps_with_keys`): the
/// bundled sample tried with these keys.
pub struct KeysCase {
    id: &'static str,
    description: &'static str,
    session_keys: Vec<String>,
    appid: &'static str,
    status: &'static str,
    key_index: Option<usize>,
}

/// The candidate-key vectors: the right key first, second and last, none right, an invalid
/// candidate, and a right key with another appid.
pub fn keys_cases() -> Vec<KeysCase> {
    let sample = &cases()[0];
    let mut rng = Rng(0x6B65_7973);
    let wrong: Vec<String> = (0..3).map(|_| b64(&rng.bytes16())).collect();
    let right = sample.session_key.clone();
    let case = |id, description, keys: Vec<&String>, appid, status, key_index| KeysCase {
        id,
        description,
        session_keys: keys.into_iter().cloned().collect(),
        appid,
        status,
        key_index,
    };
    let not_base64 = "not a session key!".to_string();
    vec![
        case(
            "keys-right-first",
            "the right key first, a stale one second",
            vec![&right, &wrong[0]],
            APPID,
            "OK",
            Some(0),
        ),
        case(
            "keys-right-second",
            "a stale key first, the right one second",
            vec![&wrong[0], &right],
            APPID,
            "OK",
            Some(1),
        ),
        case(
            "keys-right-last",
            "the right key last of four",
            vec![&wrong[0], &wrong[1], &wrong[2], &right],
            APPID,
            "OK",
            Some(3),
        ),
        case(
            "keys-single",
            "one candidate, the right one",
            vec![&right],
            APPID,
            "OK",
            Some(0),
        ),
        case(
            "keys-none-right",
            "no candidate is the key",
            vec![&wrong[0], &wrong[1]],
            APPID,
            "DECRYPT_FAILED",
            None,
        ),
        case(
            "keys-invalid-candidate",
            "a candidate that is not base64 of 16 bytes fails the call",
            vec![&right, &not_base64],
            APPID,
            "SESSION_KEY_INVALID",
            None,
        ),
        case(
            "keys-right-key-other-appid",
            "the right key second, but the data is another appid's",
            vec![&wrong[0], &right],
            "wx0000000000000000",
            "APPID_MISMATCH",
            None,
        ),
    ]
}

fn keys_case_json(c: &KeysCase) -> Value {
    let sample = &cases()[0];
    let ok = c.status == "OK";
    json!({
        "id": c.id,
        "description": c.description,
        "session_keys": c.session_keys,
        "iv": sample.iv,
        "encrypted_data": sample.encrypted_data,
        "appid": c.appid,
        "expect": {
            "status": c.status,
            "key_index": c.key_index,
            "steps": if ok { sample.steps.iter().map(|(t, s)| json!([t, s])).collect::<Vec<_>>() } else { vec![] },
            "watermark_timestamp": if ok { sample.watermark_timestamp } else { None },
        },
    })
}

/// `tests/vectors/werun.json`.
pub fn vectors_json() -> String {
    let cases = cases();
    let sample = case_json(&cases[0]);
    let doc = json!({
        "_comment": "Generated by tests/vectors/generate.rs (WERUN_BLESS=1 cargo test --test vectors); do not edit. \
                     Each vector: the three base64 inputs as a backend receives them; appid null = check skipped; \
                     now/max_age null = no freshness check; capacity = output entries; scratch_len null = ample; \
                     api = steps | open_data; expect.status is the werun_status name; expect.steps are [timestamp, step]; \
                     expect.json is the open-data plaintext; expect.diagnosis is what werun_diagnose reports \
                     (null: the inputs fail before decryption).",
        "statuses": STATUSES.iter().map(|(n, c)| json!({"name": n, "code": c})).collect::<Vec<_>>(),
        "diagnoses": DIAGNOSES.iter().map(|(n, c)| json!({"name": n, "code": c})).collect::<Vec<_>>(),
        "sample": sample,
        "vectors": cases.iter().map(case_json).collect::<Vec<_>>(),
        "_comment_keys_vectors": "Calls with several candidate session_keys (werun_decrypt_steps_with_keys): \
                     session_keys are tried in order; expect.key_index is the one that worked (null unless OK); \
                     the other fields as in vectors (the scratch is ample, the capacity 32).",
        "keys_vectors": keys_cases().iter().map(keys_case_json).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap() + "\n"
}

/// The published status codes (the contract: they never change).
pub const STATUSES: [(&str, u32); 13] = [
    ("OK", 0),
    ("NULL_ARGUMENT", 1),
    ("SESSION_KEY_INVALID", 2),
    ("IV_INVALID", 3),
    ("ENCRYPTED_DATA_INVALID", 4),
    ("CIPHERTEXT_LENGTH", 5),
    ("BUFFER_TOO_SMALL", 6),
    ("DECRYPT_FAILED", 7),
    ("APPID_MISMATCH", 8),
    ("WATERMARK_EXPIRED", 9),
    ("CAPACITY_EXCEEDED", 10),
    ("INTERNAL", 11),
    ("INVALID_ARGUMENT", 12),
];

/// The published diagnosis codes.
pub const DIAGNOSES: [(&str, u32); 6] = [
    ("WERUN_DATA", 0),
    ("NOT_WERUN_DATA", 1),
    ("SESSION_KEY_MISMATCH", 2),
    ("IV_MISMATCH", 3),
    ("GARBLED", 4),
    ("TRUNCATED", 5),
];

fn c_str(s: &str) -> String {
    let mut out = String::from("\"");
    for &b in s.as_bytes() {
        match b {
            b'"' => out += "\\\"",
            b'\\' => out += "\\\\",
            0x20..=0x7E => out.push(b as char),
            _ => out += &format!("\\{b:03o}"),
        }
    }
    out + "\""
}

/// `tests/vectors/werun_vectors.h`: the same vectors for C, C++ and firmware tests.
pub fn vectors_c_header() -> String {
    let code = |name: &str| STATUSES.iter().find(|(n, _)| *n == name).unwrap().1;
    let diag = |d: Option<&str>| {
        d.map_or(-1, |d| {
            DIAGNOSES.iter().find(|(n, _)| *n == d).unwrap().1 as i64
        })
    };
    let mut h = String::from(
        "/* Generated by tests/vectors/generate.rs from the same cases as werun.json; do not edit. */\n\
         #ifndef WERUN_TEST_VECTORS_H\n#define WERUN_TEST_VECTORS_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n\
         typedef struct { int64_t timestamp; uint32_t step; } werun_vector_step;\n\n\
         typedef struct {\n  const char *id;\n  const char *session_key;\n  const char *iv;\n  const char *encrypted_data;\n\
         \x20 const char *appid; /* NULL: the appid check is skipped */\n  int has_freshness;\n  int64_t now;\n  uint64_t max_age;\n\
         \x20 int strict_base64;\n  size_t capacity;\n  long scratch_len; /* -1: ample */\n  int open_data;\n\
         \x20 uint32_t status;\n  size_t step_count;\n  const werun_vector_step *steps;\n  int has_watermark;\n\
         \x20 int64_t watermark_timestamp;\n  const char *json; /* NULL unless open data succeeds */\n\
         \x20 int diagnosis; /* -1: the inputs fail before decryption */\n} werun_vector;\n\n",
    );
    let cases = cases();
    for (i, c) in cases.iter().enumerate() {
        if !c.steps.is_empty() {
            h += &format!("static const werun_vector_step werun_vector_steps_{i}[] = {{");
            for (t, s) in &c.steps {
                // i64::MIN has no literal form in C.
                let t = if *t == i64::MIN {
                    "INT64_MIN".to_string()
                } else {
                    format!("INT64_C({t})")
                };
                h += &format!("{{{t}, {s}u}},");
            }
            h += "};\n";
        }
    }
    h += "\nstatic const werun_vector werun_vectors[] = {\n";
    for (i, c) in cases.iter().enumerate() {
        let (has_f, now, max_age) = c.freshness.map_or((0, 0, 0), |(n, m)| (1, n, m));
        let now = if now == i64::MIN {
            "INT64_MIN".to_string()
        } else {
            format!("INT64_C({now})")
        };
        h += &format!(
            "  {{{}, {}, {}, {},\n   {}, {has_f}, {now}, UINT64_C({max_age}), {}, {}, {}, {},\n   {}u, {}, {}, {}, INT64_C({}), {}, {}}},\n",
            c_str(&c.id),
            c_str(&c.session_key),
            c_str(&c.iv),
            c_str(&c.encrypted_data),
            c.appid.as_deref().map_or("NULL".into(), c_str),
            i32::from(c.strict_base64),
            c.capacity,
            c.scratch_len.map_or(-1, |n| n as i64),
            i32::from(c.open_data),
            code(c.status),
            c.steps.len(),
            if c.steps.is_empty() { "NULL".into() } else { format!("werun_vector_steps_{i}") },
            i32::from(c.watermark_timestamp.is_some()),
            c.watermark_timestamp.unwrap_or(0),
            c.json.as_deref().map_or("NULL".into(), c_str),
            diag(c.diagnosis),
        );
    }
    h += "};\n\n#define WERUN_VECTOR_COUNT (sizeof werun_vectors / sizeof werun_vectors[0])\n\n";
    // The candidate-key vectors (werun_decrypt_steps_with_keys), on the bundled sample.
    h += "typedef struct {\n  const char *id;\n  size_t key_count;\n  const char *session_keys[4];\n\
         \x20 const char *appid;\n  uint32_t status;\n  long key_index; /* -1 unless OK */\n} werun_keys_vector;\n\n\
         static const werun_keys_vector werun_keys_vectors[] = {\n";
    for c in keys_cases() {
        let mut keys: Vec<String> = c.session_keys.iter().map(|k| c_str(k)).collect();
        keys.resize(4, "NULL".into());
        h += &format!(
            "  {{{}, {}, {{{}}}, {}, {}u, {}}},\n",
            c_str(c.id),
            c.session_keys.len(),
            keys.join(", "),
            c_str(c.appid),
            code(c.status),
            c.key_index.map_or(-1, |i| i as i64)
        );
    }
    h += "};\n\n#define WERUN_KEYS_VECTOR_COUNT (sizeof werun_keys_vectors / sizeof werun_keys_vectors[0])\n\n#endif\n";
    h
}
