//! Criterion benchmarks: the whole job on 31- and 7-entry payloads, and each stage alone.
//!
//! ```sh
//! cargo bench --bench werun                       # all
//! cargo bench --bench werun -- '31/'              # one payload size
//! RUSTFLAGS="-C target-cpu=native" cargo bench --bench werun   # the AVX2 base64 form
//! ```
//!
//! The payloads are built here: WeChat's compact layout, a random-looking but fixed key and IV,
//! encrypted with the `aes`/`cbc` crates. Stages:
//! * `base64_data`: `encryptedData` (public, fast decoder), `base64_key_iv`: the 16-byte key and
//!   IV (constant-time decoder), both through `werun::__internals`;
//! * `aes_cbc_unpad`: copy of the ciphertext into the buffer, key schedule, CBC decryption in
//!   place, constant-time PKCS#7 check (`werun::__internals::decrypt`);
//! * `parse`: the JSON reader on the plaintext (WeChat's layout: the fast path);
//! * `parse_spaced`: the same document with a space after every `:` (the general reader).

use std::hint::black_box;

use aes::Aes128;
use base64ct::Encoding as _;
use cbc::cipher::{BlockModeEncrypt, InOutBuf, KeyIvInit};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use werun::{
    decrypt_steps, decrypt_steps_with_keys, Base64Mode, Iv, Options, SessionKey, StepInfo,
    DEFAULT_CAPACITY,
};

const APPID: &str = "wx4f4bc4dec97d474b";
const KEY: [u8; 16] = *b"\x8b\x11\x3e\x90\x4c\xd2\x07\xa5\x61\xf0\x2b\x9e\x73\x18\xc4\x5d";
const IV: [u8; 16] = *b"\x19\xe4\x52\x7a\x0b\xcd\x86\x31\xf7\x6e\xa0\x44\x9b\x25\xd8\x03";

struct Payload {
    key_b64: String,
    iv_b64: String,
    data_b64: String,
    ciphertext: Vec<u8>,
    plaintext: Vec<u8>,
}

fn plaintext(entries: usize) -> String {
    let day0 = 1_717_171_200i64; // 2024-06-01 00:00 UTC+8
    let list: Vec<String> = (0..entries)
        .map(|i| {
            let steps = (i as u64 * 7919 + 1234) % 23_000;
            format!(
                "{{\"timestamp\":{},\"step\":{steps}}}",
                day0 + i as i64 * 86_400
            )
        })
        .collect();
    format!(
        "{{\"stepInfoList\":[{}],\"watermark\":{{\"timestamp\":{},\"appid\":\"{APPID}\"}}}}",
        list.join(","),
        day0 + entries as i64 * 86_400 - 3_600
    )
}

fn b64(bytes: &[u8]) -> String {
    let mut buf = vec![0u8; bytes.len().div_ceil(3) * 4];
    base64ct::Base64::encode(bytes, &mut buf)
        .unwrap()
        .to_owned()
}

fn payload(entries: usize) -> Payload {
    let plaintext = plaintext(entries).into_bytes();
    let pad = 16 - plaintext.len() % 16;
    let mut ciphertext = plaintext.clone();
    ciphertext.extend(std::iter::repeat_n(pad as u8, pad));
    let mut enc = cbc::Encryptor::<Aes128>::new(&KEY.into(), &IV.into());
    let (blocks, _) = InOutBuf::from(&mut ciphertext[..]).into_chunks();
    enc.encrypt_blocks_inout(blocks);
    Payload {
        key_b64: b64(&KEY),
        iv_b64: b64(&IV),
        data_b64: b64(&ciphertext),
        ciphertext,
        plaintext,
    }
}

/// The whole job, as a backend runs it per request.
fn full_job(p: &Payload, scratch: &mut [u8]) -> (i64, i64) {
    let key = SessionKey::from_base64(&p.key_b64, Base64Mode::Repair).unwrap();
    let iv = Iv::from_base64(&p.iv_b64, Base64Mode::Repair).unwrap();
    let options = Options::expect_appid(APPID);
    let mut out = [StepInfo::default(); DEFAULT_CAPACITY];
    let data = decrypt_steps(
        &key,
        &iv,
        p.data_b64.as_bytes(),
        &options,
        scratch,
        &mut out,
    )
    .unwrap();
    data.steps
        .iter()
        .fold((0, 0), |(s, t), e| (s + i64::from(e.step), t + e.timestamp))
}

fn bench(c: &mut Criterion) {
    for entries in [31usize, 7] {
        let p = payload(entries);
        let mut scratch = vec![0u8; werun::scratch_len(p.data_b64.len())];
        assert_eq!(full_job(&p, &mut scratch).0 > 0, entries > 0);

        let mut g = c.benchmark_group(format!("{entries}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("full_job", |b| {
            b.iter(|| full_job(black_box(&p), &mut scratch))
        });
        g.bench_function("base64_key_iv", |b| {
            // The key in constant time, the public IV through the fast decoder.
            b.iter(|| {
                (
                    SessionKey::from_base64(black_box(p.key_b64.as_bytes()), Base64Mode::Repair),
                    Iv::from_base64(black_box(p.iv_b64.as_bytes()), Base64Mode::Repair),
                )
            })
        });
        g.bench_function("base64_key", |b| {
            // The session_key alone: constant-time decoding, with its stack scrub.
            b.iter(|| SessionKey::from_base64(black_box(p.key_b64.as_bytes()), Base64Mode::Repair))
        });
        g.bench_function("base64_key_strict", |b| {
            b.iter(|| SessionKey::from_base64(black_box(p.key_b64.as_bytes()), Base64Mode::Strict))
        });
        g.bench_function("base64_data", |b| {
            b.iter(|| {
                werun::__internals::decode_base64(
                    black_box(p.data_b64.as_bytes()),
                    &mut scratch,
                    Base64Mode::Repair,
                )
            })
        });
        // Checked once here (a benchmark filter may skip the timed closure).
        let mut buf = p.ciphertext.clone();
        let len = werun::__internals::decrypt(&KEY, &IV, &mut buf);
        assert_eq!(len, Some(p.plaintext.len()));
        assert_eq!(&buf[..p.plaintext.len()], &p.plaintext[..]);
        g.bench_function("aes_cbc_unpad", |b| {
            b.iter(|| {
                buf.copy_from_slice(&p.ciphertext);
                werun::__internals::decrypt(black_box(&KEY), black_box(&IV), &mut buf)
            })
        });
        let mut out = [StepInfo::default(); DEFAULT_CAPACITY];
        assert!(
            werun::__internals::parse_werun(&p.plaintext, &mut out, APPID.as_bytes()).is_some()
        );
        g.bench_function("parse", |b| {
            b.iter(|| {
                werun::__internals::parse_werun(black_box(&p.plaintext), &mut out, APPID.as_bytes())
            })
        });
        let spaced = String::from_utf8(p.plaintext.clone())
            .unwrap()
            .replace(':', ": ")
            .into_bytes();
        g.bench_function("parse_spaced", |b| {
            b.iter(|| {
                werun::__internals::parse_werun(black_box(&spaced), &mut out, APPID.as_bytes())
            })
        });
        g.finish();
    }
    candidate_keys(c);
}

/// Several candidate keys (a rotated `session_key`): what a failed call costs with one and two
/// keys, and a success with the right key second. Keys decoded beforehand, as a backend keeps
/// them.
fn candidate_keys(c: &mut Criterion) {
    let p = payload(31);
    let iv = Iv::from_base64(&p.iv_b64, Base64Mode::Repair).unwrap();
    let right = SessionKey::from_bytes(KEY);
    let wrong = |seed: u8| {
        SessionKey::from_bytes(core::array::from_fn(|i| seed ^ (i as u8).wrapping_mul(37)))
    };
    let options = Options::expect_appid(APPID);
    let mut scratch = vec![0u8; werun::scratch_len_with_keys(p.data_b64.len())];
    let mut out = [StepInfo::default(); DEFAULT_CAPACITY];
    let data = p.data_b64.as_bytes();
    // Checked once here (a filter may skip the timed closures).
    let one_wrong = [wrong(1)];
    let two_wrong = [wrong(1), wrong(2)];
    let second_right = [wrong(1), right.clone()];
    assert!(decrypt_steps(&wrong(1), &iv, data, &options, &mut scratch, &mut out).is_err());
    assert!(
        decrypt_steps_with_keys(&two_wrong, &iv, data, &options, &mut scratch, &mut out).is_err()
    );
    assert_eq!(
        decrypt_steps_with_keys(&second_right, &iv, data, &options, &mut scratch, &mut out)
            .map(|(i, d)| (i, d.steps.len())),
        Ok((1, 31))
    );
    let mut g = c.benchmark_group("candidate_keys_31");
    g.throughput(Throughput::Elements(1));
    g.bench_function("one_key_failed", |b| {
        b.iter(|| {
            decrypt_steps(
                &one_wrong[0],
                &iv,
                black_box(data),
                &options,
                &mut scratch,
                &mut out,
            )
            .is_err()
        })
    });
    g.bench_function("with_keys_one_failed", |b| {
        b.iter(|| {
            decrypt_steps_with_keys(
                &one_wrong,
                &iv,
                black_box(data),
                &options,
                &mut scratch,
                &mut out,
            )
            .is_err()
        })
    });
    g.bench_function("with_keys_two_failed", |b| {
        b.iter(|| {
            decrypt_steps_with_keys(
                &two_wrong,
                &iv,
                black_box(data),
                &options,
                &mut scratch,
                &mut out,
            )
            .is_err()
        })
    });
    g.bench_function("with_keys_second_right", |b| {
        b.iter(|| {
            decrypt_steps_with_keys(
                &second_right,
                &iv,
                black_box(data),
                &options,
                &mut scratch,
                &mut out,
            )
            .is_ok()
        })
    });
    g.bench_function("one_key_ok", |b| {
        b.iter(|| {
            decrypt_steps(
                &right,
                &iv,
                black_box(data),
                &options,
                &mut scratch,
                &mut out,
            )
            .is_ok()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
