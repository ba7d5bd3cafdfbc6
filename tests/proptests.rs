//! Round trips: random keys, IVs, step lists and appids, encrypted here, decrypted by werun.

#[path = "vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use proptest::prelude::*;
use werun::{
    decrypt_steps, decrypt_steps_in_place, open_data, Base64Mode, Error, Iv, Options, SessionKey,
    StepInfo,
};

fn document(steps: &[(i64, u32)], wm: i64, appid: &str, pretty: bool) -> String {
    let sep = if pretty { ",\n  " } else { "," };
    let list: Vec<String> = steps
        .iter()
        .map(|(t, s)| {
            if pretty {
                format!("{{ \"step\": {s}, \"timestamp\": {t} }}")
            } else {
                format!("{{\"timestamp\":{t},\"step\":{s}}}")
            }
        })
        .collect();
    format!(
        "{{\"stepInfoList\":[{}]{sep}\"watermark\":{{\"timestamp\":{wm},\"appid\":\"{appid}\"}}}}",
        list.join(sep)
    )
}

/// `n` proptest cases, or `WERUN_PROPTEST_CASES` (`make mutants` lowers it: each mutant runs the
/// whole suite).
fn cases(n: u32) -> u32 {
    std::env::var("WERUN_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    #[test]
    fn random_payloads_round_trip(
        key in any::<[u8; 16]>(),
        iv in any::<[u8; 16]>(),
        steps in prop::collection::vec((any::<i64>(), any::<u32>()), 0..40),
        wm in any::<i64>(),
        appid in "wx[0-9a-f]{16}",
        pretty in any::<bool>(),
        capacity in 0usize..48,
    ) {
        let doc = document(&steps, wm, &appid, pretty);
        let ct = generate::encrypt_blocks(&key, &iv, &generate::pkcs7(doc.as_bytes()));
        let data = generate::b64(&ct);
        let k = SessionKey::from_base64(generate::b64(&key), Base64Mode::Strict).unwrap();
        let i = Iv::from_base64(generate::b64(&iv), Base64Mode::Strict).unwrap();
        let opts = Options::expect_appid(&appid);
        let mut scratch = vec![0u8; werun::scratch_len(data.len())];
        let mut out = vec![StepInfo::default(); capacity];
        let r = decrypt_steps(&k, &i, data.as_bytes(), &opts, &mut scratch, &mut out);
        if steps.len() <= capacity {
            let d = r.unwrap();
            let got: Vec<_> = d.steps.iter().map(|s| (s.timestamp, s.step)).collect();
            prop_assert_eq!(got, steps.clone());
            prop_assert_eq!(d.watermark.map(|w| w.timestamp), Some(wm));
        } else {
            prop_assert_eq!(r.unwrap_err(), Error::CapacityExceeded);
            prop_assert!(out.iter().all(|s| *s == StepInfo::default()));
        }
        prop_assert!(scratch.iter().all(|&b| b == 0), "scratch not wiped");

        // The same in place, and another appid.
        let mut copy = data.clone().into_bytes();
        let mut out = vec![StepInfo::default(); 48];
        let d = decrypt_steps_in_place(&k, &i, &mut copy, &opts, &mut out).unwrap();
        prop_assert_eq!(d.steps.len(), steps.len());
        let other = Options::expect_appid("wx0000000000000000");
        let r = decrypt_steps(&k, &i, data.as_bytes(), &other, &mut scratch, &mut out);
        prop_assert_eq!(r.unwrap_err(), Error::AppIdMismatch);
    }

    #[test]
    fn repaired_base64_decodes_like_the_original(
        key in any::<[u8; 16]>(),
        iv in any::<[u8; 16]>(),
        n in 0usize..8,
        damage in prop::collection::vec((any::<prop::sample::Index>(), 0u8..5), 0..12),
    ) {
        let steps: Vec<(i64, u32)> = (0..n as i64).map(|d| (1_717_171_200 + d * 86_400, d as u32 * 1000)).collect();
        let doc = document(&steps, 1, generate::APPID, false);
        let ct = generate::encrypt_blocks(&key, &iv, &generate::pkcs7(doc.as_bytes()));
        let clean = generate::b64(&ct);
        // Web-framework damage: '+' as ' ', URL-safe letters, line breaks, lost padding.
        let mut damaged: Vec<u8> = clean.trim_end_matches('=').bytes().map(|c| match c { b'+' => b' ', b'/' => b'_', c => c }).collect();
        for (at, kind) in damage {
            let at = at.index(damaged.len() + 1);
            damaged.insert(at, [b'\n', b'\r', b'\t', b'\n', b'\r'][kind as usize]);
        }
        let k = SessionKey::from_base64(generate::b64(&key).replace('+', " ").trim_end_matches('='), Base64Mode::Repair).unwrap();
        let i = Iv::from_base64(generate::b64(&iv).replace('/', "_"), Base64Mode::Repair).unwrap();
        let opts = Options::expect_appid(generate::APPID);
        let mut scratch = vec![0u8; werun::scratch_len(damaged.len())];
        let mut out = [StepInfo::default(); 8];
        let d = decrypt_steps(&k, &i, &damaged, &opts, &mut scratch, &mut out).unwrap();
        let got: Vec<(i64, u32)> = d.steps.iter().map(|s| (s.timestamp, s.step)).collect();
        prop_assert_eq!(got, steps);
        prop_assert_eq!(d.watermark.map(|w| w.timestamp), Some(1));
        let strict = opts.base64(Base64Mode::Strict);
        let r = decrypt_steps(&k, &i, &damaged, &strict, &mut scratch, &mut out);
        if damaged != clean.as_bytes() {
            prop_assert_eq!(r.unwrap_err(), Error::EncryptedDataInvalid);
        }
    }

    #[test]
    fn arbitrary_input_never_panics_and_leaves_nothing(
        key in any::<[u8; 16]>(),
        iv in any::<[u8; 16]>(),
        data in prop::collection::vec(any::<u8>(), 0..300),
        strict in any::<bool>(),
    ) {
        let mode = if strict { Base64Mode::Strict } else { Base64Mode::Repair };
        let k = SessionKey::from_bytes(key);
        let i = Iv::from_bytes(iv);
        let opts = Options::skip_appid_check().base64(mode);
        let mut scratch = vec![0xA5u8; werun::scratch_len(data.len())];
        let mut out = [StepInfo { timestamp: 0x5A5A_5A5A_5A5A, step: 0xA5A5_A5A5 }; 4];
        if decrypt_steps(&k, &i, &data, &opts, &mut scratch, &mut out).is_err() {
            prop_assert!(out.iter().all(|s| *s == StepInfo::default()));
        }
        prop_assert!(scratch.iter().all(|&b| b == 0));
        if open_data(&k, &i, &data, &opts, &mut scratch).is_err() {
            prop_assert!(scratch.iter().all(|&b| b == 0));
        }
    }

    /// Whatever the plaintext (random bytes, or a document with random damage), a failed call
    /// leaves no partial result (every entry zeroed, from a non-zero pattern) and no plaintext
    /// in the scratch: these inputs reach decryption and the parser, unlike random base64.
    #[test]
    fn any_plaintext_fails_cleanly(
        key in any::<[u8; 16]>(),
        iv in any::<[u8; 16]>(),
        noise in prop::collection::vec(any::<u8>(), 0..200),
        n in 0usize..40,
        cut in 0usize..64,
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        raw in any::<bool>(),
    ) {
        let steps: Vec<(i64, u32)> = (0..n as i64).map(|d| (1_717_171_200 + d * 86_400, d as u32)).collect();
        let mut plain = if raw {
            noise
        } else {
            let mut doc = document(&steps, 1_717_171_300, generate::APPID, false).into_bytes();
            doc.truncate(doc.len().saturating_sub(cut));
            doc
        };
        for (at, x) in flips {
            if !plain.is_empty() {
                let at = at.index(plain.len());
                plain[at] ^= x;
            }
        }
        let data = generate::b64(&generate::encrypt_blocks(&key, &iv, &generate::pkcs7(&plain)));
        let (k, i) = (SessionKey::from_bytes(key), Iv::from_bytes(iv));
        let opts = Options::expect_appid(generate::APPID);
        let pattern = StepInfo { timestamp: 0x5A5A_5A5A_5A5A, step: 0xA5A5_A5A5 };
        let mut scratch = vec![0xA5u8; werun::scratch_len(data.len())];
        let mut out = [pattern; 32];
        // The ciphertext's bytes are wiped; the scratch's spare bytes after them are not written.
        let ct_len = plain.len() / 16 * 16 + 16;
        let clean = |scratch: &[u8]| {
            scratch[..ct_len].iter().all(|&b| b == 0) && scratch[ct_len..].iter().all(|&b| b == 0xA5)
        };
        match decrypt_steps(&k, &i, data.as_bytes(), &opts, &mut scratch, &mut out) {
            Ok(d) => prop_assert!(d.steps.len() <= 32),
            Err(_) => prop_assert!(out.iter().all(|s| *s == StepInfo::default())),
        }
        prop_assert!(clean(&scratch), "scratch not wiped");
        scratch.fill(0xA5);
        if open_data(&k, &i, data.as_bytes(), &opts, &mut scratch).is_err() {
            prop_assert!(clean(&scratch), "scratch not wiped");
        }
        let mut copy = data.clone().into_bytes();
        let mut out = [pattern; 32];
        if decrypt_steps_in_place(&k, &i, &mut copy, &opts, &mut out).is_err() {
            prop_assert!(out.iter().all(|s| *s == StepInfo::default()));
        }
        prop_assert!(copy[..ct_len].iter().all(|&b| b == 0), "in place not wiped");
    }

    /// The key (constant-time decoder) and the IV (fast decoder) read one grammar.
    #[test]
    fn key_and_iv_decoders_agree(
        bytes in any::<[u8; 16]>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(
            vec!['=', ' ', '-', '_', '\n', '\r', '\t', 'A', '+', '/', '*', '%'])), 0..4),
        cut in 0usize..3,
        strict in any::<bool>(),
        percent in any::<bool>(),
    ) {
        let mut text: Vec<char> = generate::b64(&bytes).chars().collect();
        text.truncate(text.len() - cut);
        for (at, c) in edits {
            let at = at.index(text.len() + 1);
            text.insert(at, c);
        }
        let mut text: String = text.into_iter().collect();
        if percent {
            // URL-encoded once more on the way.
            text = text.replace('+', "%2B").replace('/', "%2f").replace('=', "%3D");
        }
        let mode = if strict { Base64Mode::Strict } else { Base64Mode::Repair };
        // SessionKey::from_base64 is this decoder; its Debug hides the bytes.
        let key = werun::__internals::decode_block16(text.as_bytes(), mode);
        let iv = Iv::from_base64(&text, mode).ok();
        prop_assert_eq!(key.map(Iv::from_bytes), iv, "{:?}", text);
        prop_assert_eq!(SessionKey::from_base64(&text, mode).is_ok(), key.is_some());
    }
}
