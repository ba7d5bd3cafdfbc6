//! How often `diagnose` names the real cause, on generated payloads: 1,000 per cause, each with
//! its own key, IV and 31-entry document. Thresholds, not timings: the table is printed
//! (`cargo test --test diagnosis -- --nocapture`).

#[path = "vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::collections::BTreeMap;
use werun::{diagnose, Base64Mode, Diagnosis, Iv, SessionKey};

const PER_CAUSE: usize = 1000;

/// A small deterministic generator (xorshift64*), seeded per cause.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes16(&mut self) -> [u8; 16] {
        let (a, b) = (self.next().to_le_bytes(), self.next().to_le_bytes());
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&a);
        out[8..].copy_from_slice(&b);
        out
    }
}

fn document(rng: &mut Rng) -> String {
    let list: Vec<String> = (0..31)
        .map(|i| {
            format!(
                "{{\"timestamp\":{},\"step\":{}}}",
                1_717_171_200 + 86_400 * i,
                rng.below(40_000)
            )
        })
        .collect();
    format!(
        "{{\"stepInfoList\":[{}],\"watermark\":{{\"timestamp\":{},\"appid\":\"{}\"}}}}",
        list.join(","),
        1_717_171_200 + rng.below(3_000_000),
        generate::APPID
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    Truncated,
    WrongKey,
    WrongIv,
    AlteredMiddle,
}

/// One payload damaged by `cause`: (key, iv, encryptedData).
fn payload(cause: Cause, rng: &mut Rng) -> ([u8; 16], [u8; 16], String) {
    let (key, iv) = (rng.bytes16(), rng.bytes16());
    let ct = generate::encrypt_blocks(&key, &iv, &generate::pkcs7(document(rng).as_bytes()));
    let blocks = ct.len() / 16;
    match cause {
        Cause::Truncated => {
            let lost = 1 + rng.below(blocks - 1); // 1 ..= blocks - 1 blocks lost
            (key, iv, generate::b64(&ct[..(blocks - lost) * 16]))
        }
        Cause::WrongKey => (rng.bytes16(), iv, generate::b64(&ct)),
        Cause::WrongIv => (key, rng.bytes16(), generate::b64(&ct)),
        Cause::AlteredMiddle => {
            let mut ct = ct;
            let block = 1 + rng.below(blocks - 2); // neither the first nor the last
            let byte = block * 16 + rng.below(16);
            ct[byte] ^= 1 + rng.below(255) as u8;
            (key, iv, generate::b64(&ct))
        }
    }
}

#[test]
fn diagnoses_name_the_cause() {
    let expected = [
        (Cause::Truncated, Diagnosis::Truncated, 0.99),
        (Cause::WrongKey, Diagnosis::SessionKeyMismatch, 0.99),
        (Cause::WrongIv, Diagnosis::IvMismatch, 0.99),
        (Cause::AlteredMiddle, Diagnosis::Garbled, 0.95),
    ];
    let mut failures = Vec::new();
    println!("cause            named right  of   what else");
    for (i, (cause, want, threshold)) in expected.into_iter().enumerate() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..PER_CAUSE {
            let (key, iv, data) = payload(cause, &mut rng);
            let mut scratch = vec![0u8; werun::scratch_len(data.len())];
            let d = diagnose(
                &SessionKey::from_bytes(key),
                &Iv::from_bytes(iv),
                data.as_bytes(),
                Base64Mode::Strict,
                &mut scratch,
            )
            .expect("decodes");
            *got.entry(format!("{d:?}")).or_default() += 1;
        }
        let right = got.get(&format!("{want:?}")).copied().unwrap_or(0);
        let others: Vec<String> = got
            .iter()
            .filter(|(k, _)| **k != format!("{want:?}"))
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        println!(
            "{:<16} {right:>11} {PER_CAUSE:>4}   {}",
            format!("{cause:?}"),
            others.join(", ")
        );
        if (right as f64) < threshold * PER_CAUSE as f64 {
            failures.push(format!(
                "{cause:?}: {right} of {PER_CAUSE} named {want:?}, {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
