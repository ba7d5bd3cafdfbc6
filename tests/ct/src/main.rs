//! Runs werun's secret-dependent code once per case through a `#[no_mangle]` probe that
//! `run.sh` measures under callgrind (one profile dump per call, holding exactly the instructions
//! and jumps executed inside it), and prints one line per case: its class and name, in call
//! order. Three checks, chosen by the first argument:
//!
//! * `padding`: the strict PKCS#7 check (`__internals::unpadded_len`, the code the decryption
//!   uses) on 32-byte plaintexts whose padding is valid with every length, whose count byte is
//!   invalid, whose padding has one wrong byte at every position of every length, and on noise.
//! * `key`: `SessionKey::from_base64` (the public call, scrub included) on keys whose characters
//!   cover the whole alphabet, in strict and in repair mode (with the characters repair mode
//!   maps: ' ', '-', '_'), and percent-encoded keys with a '+' and a '/' at every position.
//! * `decrypt`: `decrypt_steps` (the public call, base64 decoding, decryption, padding, parse) on
//!   a 31-entry payload with one block garbled (the first, a middle one, the next-to-last: what
//!   a padding-oracle attacker's modified ciphertext decrypts to), once with a valid padding and
//!   once with a wrong one. Each pair is one class: the two must execute the same instructions.
//!
//! `--control` measures an obviously leaky implementation of the same thing instead, so that
//! `run.sh` can show that the method catches a leak when there is one: an early-exit padding
//! check, a decoder that branches on each character's class, and the decryption as it was
//! before the padding oracle was closed (stop at a bad padding, parse only after a good one).

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};

use werun::{Base64Mode, Iv, Options, SessionKey, StepInfo};

static CONTROL: AtomicBool = AtomicBool::new(false);

fn control() -> bool {
    CONTROL.load(Ordering::Relaxed)
}

// ---- padding -------------------------------------------------------------------------------

/// The measured padding check. `#[no_mangle]` gives callgrind a stable name to toggle on.
#[no_mangle]
#[inline(never)]
pub fn werun_ct_padding(plaintext: &[u8; 32]) -> Option<usize> {
    if control() {
        black_box(naive_unpadded_len(black_box(plaintext)))
    } else {
        black_box(werun::__internals::unpadded_len(black_box(plaintext)))
    }
}

/// The textbook check that leaks: it stops at the first wrong byte.
#[inline(never)]
fn naive_unpadded_len(b: &[u8; 32]) -> Option<usize> {
    let pad = b[31];
    if pad == 0 || pad > 16 {
        return None;
    }
    for &x in &b[32 - usize::from(pad)..] {
        if x != pad {
            return None;
        }
    }
    Some(32 - usize::from(pad))
}

fn padded(pad: u8) -> [u8; 32] {
    let mut b = [b'}'; 32];
    for byte in b.iter_mut().rev().take(usize::from(pad.min(16))) {
        *byte = pad;
    }
    b[31] = pad;
    b
}

/// Strict PKCS#7 written the obvious way, to label the noise cases.
fn reference_valid(b: &[u8; 32]) -> bool {
    let pad = usize::from(b[31]);
    (1..=16).contains(&pad) && b[32 - pad..].iter().all(|&x| usize::from(x) == pad)
}

fn xorshift(state: &mut u64) -> u8 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state as u8
}

fn padding_cases() -> Vec<String> {
    let mut cases: Vec<(&str, String, [u8; 32])> = Vec::new();
    for pad in 1..=16u8 {
        cases.push(("valid", format!("pad {pad}"), padded(pad)));
    }
    for pad in [0u8, 17, 32, 0x80, 0xFF] {
        cases.push(("invalid", format!("count {pad}"), padded(pad)));
    }
    // One pad byte wrong, at every position of every length (a naive loop would stop at the
    // first, second, ..., last byte it compares).
    for pad in 2..=16u8 {
        for wrong in 1..usize::from(pad) {
            let mut b = padded(pad);
            b[31 - wrong] ^= 0x01;
            cases.push(("invalid", format!("pad {pad}, byte -{wrong} wrong"), b));
        }
    }
    // Noise (what a wrong key gives), deterministic.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for n in 0..32 {
        let b: [u8; 32] = core::array::from_fn(|_| xorshift(&mut state));
        let class = if reference_valid(&b) {
            "valid"
        } else {
            "invalid"
        };
        cases.push((class, format!("noise {n}"), b));
    }
    cases.insert(0, ("warmup", "warm-up call".into(), padded(3)));
    let done = lines(cases.iter().map(|c| (c.0, &c.1)));
    let mut got = Vec::with_capacity(cases.len());
    for (_, _, block) in &cases {
        got.push(werun_ct_padding(block));
    }
    for ((class, name, _), got) in cases.iter().zip(got).skip(1) {
        assert_eq!(
            got.is_some(),
            *class == "valid",
            "{name}: werun says {got:?}"
        );
    }
    done
}

// ---- key -----------------------------------------------------------------------------------

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The measured key decode.
#[no_mangle]
#[inline(never)]
pub fn werun_ct_key(text: &[u8], mode: Base64Mode) -> bool {
    if control() {
        black_box(leaky_decode_key(black_box(text)).is_some())
    } else {
        let key = SessionKey::from_base64(black_box(text), mode);
        black_box(&key).is_ok()
    }
}

/// A decoder that branches on each character's class, as most hand-written decoders do (and
/// undoes percent escapes where it meets them).
#[inline(never)]
fn leaky_decode_key(text: &[u8]) -> Option<[u8; 16]> {
    let mut unescaped = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'%' {
            unescaped.push(match &text[i + 1..i + 3] {
                b"2B" | b"2b" => b'+',
                b"2F" | b"2f" => b'/',
                _ => b'=',
            });
            i += 3;
        } else {
            unescaped.push(text[i]);
            i += 1;
        }
    }
    let text = &unescaped[..];
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = [0u8; 16];
    let mut at = 0;
    for &c in text.get(..22)? {
        let v = if c.is_ascii_uppercase() {
            c - b'A'
        } else if c.is_ascii_lowercase() {
            black_box(c - b'a' + 26)
        } else if c.is_ascii_digit() {
            black_box(black_box(c - b'0') + 52)
        } else if c == b'+' || c == b' ' || c == b'-' {
            black_box(62)
        } else if c == b'/' || c == b'_' {
            black_box(black_box(63))
        } else {
            return None;
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 && at < 16 {
            n -= 8;
            out[at] = (bits >> n) as u8;
            at += 1;
        }
    }
    Some(out)
}

/// 22 data characters (the last one canonical: its 4 unused bits zero) and "==".
fn key_text(chars: impl Iterator<Item = u8>, last: u8) -> Vec<u8> {
    let mut t: Vec<u8> = chars.take(21).collect();
    t.push(last);
    t.extend_from_slice(b"==");
    t
}

fn key_cases() -> Vec<String> {
    let mut cases: Vec<(&str, String, Vec<u8>, Base64Mode)> = Vec::new();
    // Every character of the alphabet at every one of the first 21 positions across the keys
    // (64 rotations by 1, 5, 7 and 11 positions), each canonical last character.
    let lasts = [b'A', b'Q', b'g', b'w'];
    let mut keys = Vec::new();
    for (i, stride) in [1usize, 5, 7, 11].iter().enumerate() {
        for start in (0..64).step_by(4) {
            let chars = (0..21).map(move |j| ALPHABET[(start + j * stride) % 64]);
            keys.push(key_text(chars, lasts[(start / 4 + i) % 4]));
        }
    }
    // Random keys.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..16 {
        let chars: Vec<u8> = (0..21)
            .map(|_| ALPHABET[usize::from(xorshift(&mut state) % 64)])
            .collect();
        keys.push(key_text(
            chars.into_iter(),
            lasts[usize::from(xorshift(&mut state) % 4)],
        ));
    }
    for (i, key) in keys.iter().enumerate() {
        cases.push((
            "strict",
            format!("key {i}: {}", String::from_utf8_lossy(key)),
            key.clone(),
            Base64Mode::Strict,
        ));
        cases.push((
            "repair",
            format!("key {i}: {}", String::from_utf8_lossy(key)),
            key.clone(),
            Base64Mode::Repair,
        ));
        // Repair mode also maps ' ' and '-' to '+', '_' to '/': the same key as a URL-decoded or
        // URL-safe text.
        let mapped: Vec<u8> = key
            .iter()
            .enumerate()
            .map(|(j, &c)| match (c, j % 2) {
                (b'+', 0) => b' ',
                (b'+', _) => b'-',
                (b'/', _) => b'_',
                (c, _) => c,
            })
            .collect();
        cases.push((
            "repair",
            format!("key {i} repaired: {}", String::from_utf8_lossy(&mapped)),
            mapped,
            Base64Mode::Repair,
        ));
    }
    // Repair mode with percent escapes (a key URL-encoded twice): keys with one '+' and one '/'
    // at every pair of positions 4 apart, and "==", all encoded: one length, so one profile.
    for p in 0..17 {
        let mut chars: Vec<u8> = (0..21).map(|j| ALPHABET[(p * 3 + j * 5) % 62]).collect();
        chars[p] = b'+';
        chars[p + 4] = b'/';
        let text = key_text(chars.into_iter(), lasts[p % 4]);
        let encoded: Vec<u8> = text
            .iter()
            .flat_map(|&c| match c {
                b'+' => b"%2B".to_vec(),
                b'/' => b"%2f".to_vec(),
                b'=' => b"%3D".to_vec(),
                c => vec![c],
            })
            .collect();
        cases.push((
            "repair-percent",
            format!("percent key {p}: {}", String::from_utf8_lossy(&encoded)),
            encoded,
            Base64Mode::Repair,
        ));
    }
    // The number of escapes is as secret as the key (they stand for its '+' and '/'): keys with
    // 0 to 3 of them, and "==" encoded, made the same length with line breaks (which repair
    // mode skips), must run one profile.
    for (k, positions) in [&[][..], &[3], &[3, 9], &[3, 9, 15]].iter().enumerate() {
        let mut chars: Vec<u8> = (0..21).map(|j| ALPHABET[(k * 7 + j * 3) % 62]).collect();
        for (n, &p) in positions.iter().enumerate() {
            chars[p] = if n % 2 == 0 { b'+' } else { b'/' };
        }
        let text = key_text(chars.into_iter(), lasts[k % 4]);
        let mut encoded: Vec<u8> = text
            .iter()
            .flat_map(|&c| match c {
                b'+' => b"%2B".to_vec(),
                b'/' => b"%2F".to_vec(),
                b'=' => b"%3D".to_vec(),
                c => vec![c],
            })
            .collect();
        encoded.resize(24 + 2 * 5, b'\n');
        cases.push((
            "repair-percent-count",
            format!("{k} escaped '+'/'/' and \"==\": {}", String::from_utf8_lossy(&encoded).escape_debug()),
            encoded,
            Base64Mode::Repair,
        ));
    }
    cases.insert(
        0,
        (
            "warmup",
            "warm-up call".into(),
            keys[0].clone(),
            Base64Mode::Strict,
        ),
    );
    let done = lines(cases.iter().map(|c| (c.0, &c.1)));
    let mut ok = Vec::with_capacity(cases.len());
    for (_, _, text, mode) in &cases {
        ok.push(werun_ct_key(text, *mode));
    }
    for ((_, name, _, _), ok) in cases.iter().zip(ok) {
        assert!(ok, "{name}: not decoded");
    }
    done
}

// ---- decrypt -------------------------------------------------------------------------------

const KEY: [u8; 16] = *b"ct-decrypt-key!!";
const IV: [u8; 16] = *b"ct-decrypt-iv!!!";
const APPID: &str = "wx4f4bc4dec97d474b";

/// The measured decryption: the public call, as a backend makes it.
#[no_mangle]
#[inline(never)]
pub fn werun_ct_decrypt(data: &[u8], scratch: &mut [u8], steps: &mut [StepInfo]) -> bool {
    let key = SessionKey::from_bytes(KEY);
    let iv = Iv::from_bytes(IV);
    if control() {
        black_box(before_the_fix(&key, data, scratch, steps))
    } else {
        let r = werun::decrypt_steps(
            &key,
            &iv,
            black_box(data),
            &Options::expect_appid(APPID),
            scratch,
            steps,
        );
        black_box(r.is_ok())
    }
}

/// The decryption as it was before the padding oracle was closed: stop at a bad padding, and
/// parse only after a good one (with werun's own base64 decoder, AES, padding check and parser).
#[inline(never)]
fn before_the_fix(
    _key: &SessionKey,
    data: &[u8],
    scratch: &mut [u8],
    steps: &mut [StepInfo],
) -> bool {
    use werun::__internals as w;
    let Ok(len) = w::decode_base64(data, scratch, Base64Mode::Repair) else {
        return false;
    };
    let Some(plain_len) = w::decrypt(&KEY, &IV, &mut scratch[..len]) else {
        return false;
    };
    w::parse_werun(&scratch[..plain_len], steps, APPID.as_bytes()).is_some()
}

/// A 31-entry payload in WeChat's layout; `first_step` changes its length (and its padding).
fn document(first_step: u32) -> String {
    let list: Vec<String> = (0..31u32)
        .map(|i| {
            format!(
                "{{\"timestamp\":{},\"step\":{}}}",
                1_717_171_200 + 86_400 * i64::from(i),
                if i == 0 {
                    first_step
                } else {
                    (i * 7919) % 30_000
                }
            )
        })
        .collect();
    format!(
        "{{\"stepInfoList\":[{}],\"watermark\":{{\"timestamp\":1717171300,\"appid\":\"{APPID}\"}}}}",
        list.join(",")
    )
}

fn pkcs7(text: &[u8]) -> Vec<u8> {
    let pad = 16 - text.len() % 16;
    let mut v = text.to_vec();
    v.extend(std::iter::repeat_n(pad as u8, pad));
    v
}

fn encrypt(padded: &[u8]) -> Vec<u8> {
    use aes::cipher::{BlockModeEncrypt, KeyIvInit};
    let mut buf = padded.to_vec();
    let enc = cbc::Encryptor::<aes::Aes128>::new(&KEY.into(), &IV.into());
    let (blocks, _) = aes::cipher::InOutBuf::from(&mut buf[..]).into_chunks();
    let mut enc = enc;
    enc.encrypt_blocks_inout(blocks);
    buf
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = ALPHABET;
    let mut s = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(A[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

fn decrypt_cases() -> Vec<String> {
    // A padding of several bytes, so that one case can get a pad byte wrong.
    let good = (0..)
        .map(|digits| pkcs7(document(10u32.pow(digits)).as_bytes()))
        .find(|padded| padded.last().is_some_and(|&pad| pad > 2))
        .unwrap();
    let blocks = good.len() / 16;
    let mut cases: Vec<(String, String, String)> = Vec::new();
    let mut state = 0xD1B5_4A32_D192_ED03u64;
    for (place, block) in [
        ("first", 0),
        ("middle", blocks / 2),
        ("next-to-last", blocks - 2),
    ] {
        for round in 0..3 {
            let mut garbled = good.clone();
            for byte in &mut garbled[block * 16..block * 16 + 16] {
                *byte = xorshift(&mut state);
            }
            let class = format!("{place} block garbled, noise {round}");
            // A valid padding: the JSON fails in the garbled block.
            cases.push((
                class.clone(),
                "padding valid".into(),
                b64(&encrypt(&garbled)),
            ));
            // The same plaintext with a wrong padding (the count byte, then one pad byte).
            let mut bad = garbled.clone();
            let last = bad.len() - 1;
            bad[last] = if round % 2 == 0 { 0x11 } else { 0x00 };
            cases.push((
                class.clone(),
                "padding count wrong".into(),
                b64(&encrypt(&bad)),
            ));
            let mut bad = garbled.clone();
            let pad = usize::from(good[last]);
            if pad > 1 {
                bad[last - 1] ^= 0x40;
                cases.push((class, "padding byte wrong".into(), b64(&encrypt(&bad))));
            }
        }
    }
    let mut scratch = vec![0u8; 4096];
    let mut steps = [StepInfo::default(); 32];
    let warm_up = cases[0].2.clone();
    cases.insert(0, ("warmup".into(), "warm-up call".into(), warm_up));
    let done = lines(cases.iter().map(|c| (c.0.as_str(), &c.1)));
    let mut ok = Vec::with_capacity(cases.len());
    for (_, _, data) in &cases {
        ok.push(werun_ct_decrypt(data.as_bytes(), &mut scratch, &mut steps));
    }
    for ((class, name, _), ok) in cases.iter().zip(ok) {
        assert!(!ok, "{class}, {name}: decrypted");
    }
    done
}

// ---- format --------------------------------------------------------------------------------

/// The decrypting entry points of the C ABI, as every binding calls them.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Steps,
    StepsInPlace,
    StepsWithKeys,
    OpenData,
    OpenDataInPlace,
}

impl Entry {
    const ALL: [Entry; 5] = [
        Entry::Steps,
        Entry::StepsInPlace,
        Entry::StepsWithKeys,
        Entry::OpenData,
        Entry::OpenDataInPlace,
    ];

    fn name(self) -> &'static str {
        match self {
            Entry::Steps => "werun_decrypt_steps",
            Entry::StepsInPlace => "werun_decrypt_steps_in_place",
            Entry::StepsWithKeys => "werun_decrypt_steps_with_keys",
            Entry::OpenData => "werun_open_data",
            Entry::OpenDataInPlace => "werun_open_data_in_place",
        }
    }
}

/// One case: the entry point, the base64 texts, and the index of the right key among the
/// candidates (`StepsWithKeys`: 4 keys, the others wrong).
pub struct Call {
    entry: Entry,
    iv: String,
    data: String,
    /// The candidate keys (`StepsWithKeys`), in base64.
    keys: [&'static str; 4],
}

/// Four candidate keys with the right one at `right` (none when `right` is 4 or more).
fn candidates(right: usize) -> [&'static str; 4] {
    let mut wrong = WRONG_KEYS.iter().cycle();
    core::array::from_fn(|i| {
        if i == right {
            KEY_TEXT
        } else {
            wrong.next().unwrap()
        }
    })
}

/// `KEY` in base64 (checked in `format_cases`).
const KEY_TEXT: &str = "Y3QtZGVjcnlwdC1rZXkhIQ==";

const WRONG_KEYS: [&str; 3] = [
    "d3Jvbmcta2V5LW5tYnItMQ==",
    "d3Jvbmcta2V5LW5tYnItMg==",
    "d3Jvbmcta2V5LW5tYnItMw==",
];

/// The measured call: one decrypting entry point of the C ABI, its status.
#[no_mangle]
#[inline(never)]
pub fn werun_ct_format(
    call: &Call,
    data: &[u8],
    copy: &mut [u8],
    scratch: &mut [u8],
    steps: &mut [StepInfo],
) -> u32 {
    use werun::ffi::*;
    // (No allocation in here: the allocator's work depends on the heap, not on werun.)
    let key = KEY_TEXT;
    let options = werun_options {
        appid: APPID.as_ptr(),
        appid_len: APPID.len(),
        flags: 0,
        now: 0,
        max_age: 0,
    };
    let mut summary = werun_summary::default();
    let mut result = werun_open_data_result::default();
    if control() {
        return u32::from(black_box(todays_reader(call, data, scratch, steps)));
    }
    let (k, iv) = (key.as_bytes(), call.iv.as_bytes());
    // (Every pointer comes from a live slice or local of the length passed with it, and the
    // buffers do not overlap: the C ABI's contract.)
    let status = {
        match call.entry {
            Entry::Steps => werun_decrypt_steps(
                k.as_ptr(),
                k.len(),
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
            ),
            Entry::StepsInPlace => werun_decrypt_steps_in_place(
                k.as_ptr(),
                k.len(),
                iv.as_ptr(),
                iv.len(),
                copy.as_mut_ptr(),
                copy.len(),
                &options,
                steps.as_mut_ptr(),
                steps.len(),
                &mut summary,
            ),
            Entry::StepsWithKeys => {
                let list = call.keys.map(|text| werun_bytes {
                    ptr: text.as_ptr(),
                    len: text.len(),
                });
                let mut index = 0usize;
                werun_decrypt_steps_with_keys(
                    list.as_ptr(),
                    list.len(),
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
                )
            }
            Entry::OpenData => werun_open_data(
                k.as_ptr(),
                k.len(),
                iv.as_ptr(),
                iv.len(),
                data.as_ptr(),
                data.len(),
                &options,
                scratch.as_mut_ptr(),
                scratch.len(),
                &mut result,
            ),
            Entry::OpenDataInPlace => werun_open_data_in_place(
                k.as_ptr(),
                k.len(),
                iv.as_ptr(),
                iv.len(),
                copy.as_mut_ptr(),
                copy.len(),
                &options,
                &mut result,
            ),
        }
    };
    black_box(status as u32)
}

/// The control: the reader as it was before the format oracle was closed (decrypt, padding
/// verdict, then parse the plaintext and stop at its first wrong byte).
#[inline(never)]
fn todays_reader(call: &Call, data: &[u8], scratch: &mut [u8], steps: &mut [StepInfo]) -> bool {
    use werun::__internals as w;
    let iv: [u8; 16] = b64_decode(&call.iv).try_into().unwrap();
    let Ok(len) = w::decode_base64(data, scratch, Base64Mode::Repair) else {
        return false;
    };
    let buf = &mut scratch[..len];
    let plain = w::decrypt(&KEY, &iv, buf).unwrap_or(len);
    w::parse_werun(&buf[..plain], steps, APPID.as_bytes()).is_some()
}

fn b64_decode(text: &str) -> Vec<u8> {
    let mut out = vec![0u8; text.len()];
    let n =
        werun::__internals::decode_base64(text.as_bytes(), &mut out, Base64Mode::Strict).unwrap();
    out.truncate(n);
    out
}

fn encrypt_with(iv: &[u8; 16], padded: &[u8]) -> Vec<u8> {
    use aes::cipher::{BlockModeEncrypt, KeyIvInit};
    let mut buf = padded.to_vec();
    let mut enc = cbc::Encryptor::<aes::Aes128>::new(&KEY.into(), iv.into());
    let (blocks, _) = aes::cipher::InOutBuf::from(&mut buf[..]).into_chunks();
    enc.encrypt_blocks_inout(blocks);
    buf
}

/// AES-128 decryption of one block under `KEY` (what the attacker wants to learn).
fn decrypt_block(block: &[u8; 16]) -> [u8; 16] {
    use aes::cipher::{BlockCipherDecrypt, KeyInit};
    let cipher = aes::Aes128::new(&KEY.into());
    let mut b = (*block).into();
    cipher.decrypt_block(&mut b);
    b.into()
}

/// The failed calls of every decrypting entry point, in classes of one input length each, which
/// must each run one instruction profile:
/// * one block whose plaintext breaks at byte 0 (with a wrong and with a valid padding), at
///   byte 1, after 15 spaces, in a string that runs to the end, after `{"stepInfoList":`, and
///   two documents that are JSON but not WeRun data;
/// * the attack: one fixed block X with the first iv byte swept over its 256 values (the
///   plaintext's first byte is `D_K(X)[0] ^ guess`); today's reader singles out the guesses
///   that make it `{` or whitespace, which recovers `D_K(X)[0]`;
/// * a 31-entry document broken at every byte position (a byte that nothing accepts there),
///   with a valid and with a wrong padding, and with whole blocks garbled;
/// * candidate keys: the same failures with the right key among the candidates, and a success
///   with the right key at each index (one class: the work must not tell which).
fn format_cases() -> Vec<String> {
    assert_eq!(KEY_TEXT, b64(&KEY));
    let iv_text = b64(&IV);
    let mut calls: Vec<(String, String, Call)> = Vec::new();
    let mut push =
        |class: String, name: String, entry: Entry, iv: &str, data: String, right: usize| {
            calls.push((
                class,
                name,
                Call {
                    entry,
                    iv: iv.to_string(),
                    data,
                    keys: candidates(right),
                },
            ));
        };
    let one_block: Vec<(&str, Vec<u8>)> = vec![
        ("'x' then 15 bytes", b"xyyyyyyyyyyyyyyy".to_vec()),
        (
            "'x' then a valid 15-byte padding",
            [&b"x"[..], &[15u8; 15]].concat(),
        ),
        ("'{x' then 14 bytes", b"{xyyyyyyyyyyyyyy".to_vec()),
        ("15 spaces then 'a'", b"               a".to_vec()),
        (
            "'{\"' then a string to the end",
            b"{\"aaaaaaaaaaaaaa".to_vec(),
        ),
        (
            "'{\"stepInfoList\":' then the end",
            b"{\"stepInfoList\":".to_vec(),
        ),
        (
            "'{\"a\":1}' and a valid padding (not WeRun)",
            [&b"{\"a\":1}"[..], &[9u8; 9]].concat(),
        ),
        ("'{' and a valid padding", [&b"{"[..], &[15u8; 15]].concat()),
    ];
    for entry in Entry::ALL {
        for (name, plain) in &one_block {
            // `{"a":1}` is valid open data (without the appid: a status of its own).
            if name.contains("not WeRun")
                && matches!(entry, Entry::OpenData | Entry::OpenDataInPlace)
            {
                continue;
            }
            let right = usize::from(entry == Entry::StepsWithKeys) * 2;
            push(
                format!("{} one block", entry.name()),
                name.to_string(),
                entry,
                &iv_text,
                b64(&encrypt_with(&IV, plain)),
                right,
            );
        }
    }
    // The attack on one block.
    let x: [u8; 16] = *b"attacker-block-X";
    let d = decrypt_block(&x);
    for guess in 0..=255u8 {
        let mut iv = IV;
        iv[0] = guess;
        let byte0 = d[0] ^ guess;
        let hit = matches!(byte0, b'{' | b' ' | b'\t' | b'\n' | b'\r');
        push(
            "attack: first iv byte swept".into(),
            format!("guess {guess:3}{}", if hit { " hit" } else { "" }),
            Entry::Steps,
            &b64(&iv),
            b64(&x),
            0,
        );
    }
    // A 31-entry document broken everywhere.
    let good = (0..)
        .map(|digits| pkcs7(document(10u32.pow(digits)).as_bytes()))
        .find(|padded| padded.last().is_some_and(|&pad| pad > 2))
        .unwrap();
    let msg_len = good.len() - usize::from(*good.last().unwrap());
    let mut state = 0x5851_F42D_4C95_7F2Du64;
    for entry in Entry::ALL {
        let class = format!("{} 31 entries", entry.name());
        let every = if entry == Entry::Steps { 1 } else { 13 };
        let right = usize::from(entry == Entry::StepsWithKeys) * 3;
        for at in (0..msg_len).step_by(every) {
            let mut broken = good.clone();
            broken[at] = 0x01;
            push(
                class.clone(),
                format!("byte {at} broken, padding valid"),
                entry,
                &iv_text,
                b64(&encrypt_with(&IV, &broken)),
                right,
            );
            if at % (4 * every) == 0 {
                let last = broken.len() - 1;
                broken[last] = 0x11;
                push(
                    class.clone(),
                    format!("byte {at} broken, padding wrong"),
                    entry,
                    &iv_text,
                    b64(&encrypt_with(&IV, &broken)),
                    right,
                );
            }
        }
        let blocks = good.len() / 16;
        for block in [0, blocks / 2, blocks - 2, blocks - 1] {
            let mut garbled = good.clone();
            for byte in &mut garbled[block * 16..block * 16 + 16] {
                *byte = xorshift(&mut state);
            }
            push(
                class.clone(),
                format!("block {block} garbled"),
                entry,
                &iv_text,
                b64(&encrypt_with(&IV, &garbled)),
                right,
            );
        }
        if entry == Entry::StepsWithKeys {
            // No right key at all.
            push(
                class.clone(),
                "no right key".into(),
                entry,
                &iv_text,
                b64(&encrypt_with(&IV, &good)),
                9,
            );
            for right in 0..4 {
                push(
                    format!("{} 31 entries, success", entry.name()),
                    format!("right key at index {right}"),
                    entry,
                    &iv_text,
                    b64(&encrypt_with(&IV, &good)),
                    right,
                );
            }
        }
    }
    // (Debugging: WERUN_CT_FILTER keeps the cases whose class or name contains it.)
    if let Ok(filter) = std::env::var("WERUN_CT_FILTER") {
        calls.retain(|(class, name, _)| class.contains(&filter) || name.contains(&filter));
    }
    let warm = calls[0].2.data.clone();
    calls.insert(
        0,
        (
            "warmup".into(),
            "warm-up call".into(),
            Call {
                entry: Entry::Steps,
                iv: iv_text.clone(),
                data: warm,
                keys: candidates(0),
            },
        ),
    );
    let done = lines(calls.iter().map(|c| (c.0.as_str(), &c.1)));
    let mut scratch = vec![0u8; 8192];
    let mut copy = vec![0u8; 8192];
    let mut steps = [StepInfo::default(); 32];
    let mut statuses = Vec::with_capacity(calls.len());
    // Every call reads its text from the same addresses (the library's work may depend on the
    // alignment of its inputs, which is public, but would blur the comparison).
    let mut input = vec![0u8; 8192];
    for (_, _, call) in &calls {
        let n = call.data.len();
        input[..n].copy_from_slice(call.data.as_bytes());
        copy[..n].copy_from_slice(call.data.as_bytes());
        statuses.push(werun_ct_format(
            call,
            &input[..n],
            &mut copy[..n],
            &mut scratch,
            &mut steps,
        ));
    }
    for ((class, name, _), status) in calls.iter().zip(statuses) {
        let success = class.ends_with("success");
        if control() {
            continue;
        }
        // 7: WERUN_STATUS_DECRYPT_FAILED.
        assert!(
            if success { status == 0 } else { status == 7 },
            "{class}, {name}: status {status}"
        );
    }
    done
}

/// The output lines, one per case; the first case is a warm-up, class `warmup`, which `run.sh`
/// does not judge.
///
/// callgrind records jumps even outside the measured function and reports them in the next
/// dump: so the warm-up is the loop's first iteration (its dump takes the jumps of the set-up),
/// nothing runs between two measured calls but the loop itself (results are checked after it),
/// and the lines are made before the first call and printed after the last.
fn lines<'a>(cases: impl Iterator<Item = (&'a str, &'a String)>) -> Vec<String> {
    cases
        .map(|(class, name)| format!("{class}\t{name}"))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    CONTROL.store(args.iter().any(|a| a == "--control"), Ordering::Relaxed);
    let done = match args.get(1).map(String::as_str) {
        Some("padding") => padding_cases(),
        Some("key") => key_cases(),
        Some("decrypt") => decrypt_cases(),
        Some("format") => format_cases(),
        _ => {
            eprintln!("usage: werun-ct padding|key|decrypt|format [--control]");
            std::process::exit(2);
        }
    };
    for line in done {
        println!("{line}");
    }
}
