//! Secrets do not outlive a call.
//!
//! 1. The caller's scratch or in-place buffer holds no plaintext afterwards (no 8-byte window of
//!    the padded plaintext) after a success and after every kind of failure, through the Rust
//!    API and the C ABI. The one documented exception: a successful `open_data` hands the JSON
//!    back in the buffer (everything after it is checked).
//! 2. The stack the call used holds neither the 16 key bytes, nor a 16-byte window of the key's
//!    base64 text, nor any AES-128 round key (the encryption schedule, and the decryption
//!    schedule of the equivalent inverse cipher that AES-NI and VAES use), computed here with a
//!    reference key expansion checked against FIPS-197.
//! 3. The call wrote nothing deeper than its stack scrub reaches: whatever form a backend keeps
//!    its schedule in (the software backend's bitsliced "fixslice" form is not searched for by
//!    value), it lies inside the scrubbed window. Checked against a calibration call of the same
//!    entry point that fails at once, so that its depth is the scrub's own.
//!
//! The call runs below a painted stack region, which is read back afterwards through
//! `/proc/self/mem` (ordinary I/O: no read of memory Rust considers uninitialised).
//!
//! Backends: the `aes` crate picks VAES-512, VAES-256, AES-NI or its software backend at run
//! time. `tests/secrets.sh` (in `make test`) runs this file natively and under QEMU user mode
//! with CPU models that reach each backend; the test `reports_the_aes_backend` names the one in
//! use.
//!
//! What this cannot see: registers (including the XMM/ZMM registers the hardware backends keep
//! the schedule in), memory outside the painted region (e.g. the red zone above it, signal
//! frames, another thread), and copies the compiler might place only in an optimised build (the
//! test runs in whatever profile `cargo test` uses; `make test` runs it with `--release`).

#[path = "vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use generate::{b64, pkcs7};
use std::hint::black_box;
mod common;

use werun::ffi::*;
use werun::{
    decrypt_steps, decrypt_steps_in_place, open_data, open_data_in_place, Base64Mode, Iv, Options,
    SessionKey, StepInfo,
};

const KEY: [u8; 16] = [
    0x9c, 0x1f, 0x4e, 0xa7, 0x3b, 0x62, 0xd8, 0x05, 0xe1, 0x77, 0x2a, 0xc4, 0x58, 0x93, 0xfd, 0x36,
];
const IV: [u8; 16] = *b"secrets-test-iv!";
/// A wrong candidate key, tried before `KEY` by the candidate-key calls.
const OTHER_KEY: [u8; 16] = [
    0x41, 0xd2, 0x7c, 0x09, 0xb3, 0x5e, 0xe8, 0x14, 0x6f, 0xa0, 0x2b, 0x97, 0xc5, 0x38, 0x8d, 0x71,
];
const APPID: &str = "wx4f4bc4dec97d474b";

/// Encrypts whole blocks as they are (the caller chooses the padding, good or bad).
fn encrypt(blocks: &[u8]) -> String {
    b64(&generate::encrypt_blocks(&KEY, &IV, blocks))
}

fn document(entries: usize, appid: &str, timestamp: i64) -> String {
    let list: Vec<String> = (0..entries)
        .map(|i| {
            format!(
                "{{\"timestamp\":{},\"step\":{}}}",
                1_717_171_200 + 86_400 * i,
                7 * i
            )
        })
        .collect();
    format!(
        "{{\"stepInfoList\":[{}],\"watermark\":{{\"timestamp\":{timestamp},\"appid\":\"{appid}\"}}}}",
        list.join(",")
    )
}

/// (outcome, padded plaintext): a success and every kind of failure after decryption.
fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let good = document(31, APPID, 1_717_171_300);
    let mut bad_padding = pkcs7(good.as_bytes());
    *bad_padding.last_mut().unwrap() = 0x11;
    let mut not_utf8 = good.clone().into_bytes();
    not_utf8[40] = 0xFF;
    vec![
        ("success", pkcs7(good.as_bytes())),
        ("bad padding", bad_padding),
        ("not UTF-8", pkcs7(&not_utf8)),
        ("not JSON", pkcs7(&good.as_bytes()[..good.len() - 1])),
        (
            "wrong shape",
            pkcs7(good.replace("stepInfoList", "stepInfoLost").as_bytes()),
        ),
        (
            "appid mismatch",
            pkcs7(document(31, "wx0000000000000000", 1_717_171_300).as_bytes()),
        ),
        ("expired", pkcs7(document(31, APPID, 1_000).as_bytes())),
        (
            "capacity exceeded",
            pkcs7(document(40, APPID, 1_717_171_300).as_bytes()),
        ),
    ]
}

/// The first 8-byte window of `secret` found in `memory`, if any (all-zero and all-equal
/// windows excluded: those are padding and wiped memory, not secrets).
fn find_window(memory: &[u8], secret: &[u8]) -> Option<usize> {
    let windows: std::collections::HashSet<&[u8]> = secret
        .windows(8)
        .filter(|w| w.iter().any(|&b| b != w[0]))
        .collect();
    memory.windows(8).position(|m| windows.contains(m))
}

fn options() -> Options<'static> {
    Options::expect_appid(APPID).max_age(1_717_171_400, 3_600)
}

#[test]
fn scratch_and_in_place_buffers_hold_no_plaintext_after_any_outcome() {
    let key = SessionKey::from_bytes(KEY);
    let iv = Iv::from_bytes(IV);
    for (outcome, plaintext) in cases() {
        let data = encrypt(&plaintext);
        let mut steps = [StepInfo::default(); 32];

        let mut scratch = vec![0u8; werun::scratch_len(data.len())];
        let r = decrypt_steps(
            &key,
            &iv,
            data.as_bytes(),
            &options(),
            &mut scratch,
            &mut steps,
        );
        assert_eq!(r.is_ok(), outcome == "success", "{outcome}: {r:?}");
        assert_eq!(
            find_window(&scratch, &plaintext),
            None,
            "{outcome}: decrypt_steps"
        );

        let mut copy = data.clone().into_bytes();
        let _ = decrypt_steps_in_place(&key, &iv, &mut copy, &options(), &mut steps);
        assert_eq!(find_window(&copy, &plaintext), None, "{outcome}: in place");
        // As documented: the decoded part is zeros, the rest is the end of the base64 text.
        let decoded = plaintext.len();
        assert!(copy[..decoded].iter().all(|&b| b == 0), "{outcome}");
        assert_eq!(copy[decoded..], data.as_bytes()[decoded..], "{outcome}");

        let mut scratch = vec![0u8; werun::scratch_len(data.len())];
        let kept = open_data(&key, &iv, data.as_bytes(), &options(), &mut scratch)
            .map_or(0, |d| d.json.len());
        assert_eq!(
            find_window(&scratch[kept..], &plaintext),
            None,
            "{outcome}: open_data"
        );

        let mut copy = data.clone().into_bytes();
        let kept = open_data_in_place(&key, &iv, &mut copy, &options()).map_or(0, |d| d.json.len());
        assert_eq!(
            find_window(&copy[kept..], &plaintext),
            None,
            "{outcome}: open_data in place"
        );

        // The C ABI, scratch and in place.
        let (k, v) = (b64(&KEY), b64(&IV));
        let c_options = werun_options {
            appid: APPID.as_ptr(),
            appid_len: APPID.len(),
            flags: WERUN_OPTION_CHECK_FRESHNESS,
            now: 1_717_171_400,
            max_age: 3_600,
        };
        let mut summary = werun_summary::default();
        let mut scratch = vec![0u8; werun::scratch_len(data.len())];
        common::c_decrypt_steps(
            &k,
            &v,
            &data,
            &c_options,
            &mut scratch,
            &mut steps,
            &mut summary,
        );
        assert_eq!(
            find_window(&scratch, &plaintext),
            None,
            "{outcome}: werun_decrypt_steps"
        );
        let mut copy = data.clone().into_bytes();
        common::c_decrypt_steps_in_place(&k, &v, &mut copy, &c_options, &mut steps, &mut summary);
        assert_eq!(
            find_window(&copy, &plaintext),
            None,
            "{outcome}: C in place"
        );
    }
}

// ---- A reference AES-128 key expansion (FIPS-197 §5.2) ------------------------------------

fn sbox() -> [u8; 256] {
    // The multiplicative inverse in GF(2^8) followed by the affine map, walking the generator 3.
    let mut s = [0u8; 256];
    let (mut p, mut q) = (1u8, 1u8);
    loop {
        p = p ^ (p << 1) ^ if p & 0x80 != 0 { 0x1B } else { 0 };
        q ^= q << 1;
        q ^= q << 2;
        q ^= q << 4;
        if q & 0x80 != 0 {
            q ^= 0x09;
        }
        s[usize::from(p)] =
            q ^ q.rotate_left(1) ^ q.rotate_left(2) ^ q.rotate_left(3) ^ q.rotate_left(4) ^ 0x63;
        if p == 1 {
            break;
        }
    }
    s[0] = 0x63;
    s
}

/// The 11 round keys of AES-128.
fn round_keys(key: &[u8; 16]) -> [[u8; 16]; 11] {
    let s = sbox();
    let mut w = [[0u8; 4]; 44];
    for (i, word) in key.chunks(4).enumerate() {
        w[i].copy_from_slice(word);
    }
    let mut rcon = 1u8;
    for i in 4..44 {
        let mut t = w[i - 1];
        if i % 4 == 0 {
            t = [
                s[t[1] as usize] ^ rcon,
                s[t[2] as usize],
                s[t[3] as usize],
                s[t[0] as usize],
            ];
            rcon = (rcon << 1) ^ if rcon & 0x80 != 0 { 0x1B } else { 0 };
        }
        for j in 0..4 {
            w[i][j] = w[i - 4][j] ^ t[j];
        }
    }
    let mut rk = [[0u8; 16]; 11];
    for (r, k) in rk.iter_mut().enumerate() {
        for c in 0..4 {
            k[4 * c..4 * c + 4].copy_from_slice(&w[4 * r + c]);
        }
    }
    rk
}

fn gmul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        a = (a << 1) ^ if a & 0x80 != 0 { 0x1B } else { 0 };
        b >>= 1;
    }
    p
}

/// InvMixColumns of a round key: the form the decryption schedule of AES-NI (`aesimc`) keeps
/// for rounds 1..=9.
fn inv_mix_columns(k: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for c in 0..4 {
        let a = &k[4 * c..4 * c + 4];
        for r in 0..4 {
            out[4 * c + r] = gmul(a[r], 14)
                ^ gmul(a[(r + 1) % 4], 11)
                ^ gmul(a[(r + 2) % 4], 13)
                ^ gmul(a[(r + 3) % 4], 9);
        }
    }
    out
}

#[test]
fn the_reference_key_expansion_matches_fips_197() {
    let key = [
        0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f,
        0x3c,
    ];
    let rk = round_keys(&key);
    assert_eq!(
        rk[10],
        [
            0xd0, 0x14, 0xf9, 0xa8, 0xc9, 0xee, 0x25, 0x89, 0xe1, 0x3f, 0x0c, 0xc8, 0xb6, 0x63,
            0x0c, 0xa6
        ]
    );
    // InvMixColumns undoes MixColumns: FIPS-197's example column db 13 53 45 <-> 8e 4d a1 bc.
    let mut col = [0u8; 16];
    col[..4].copy_from_slice(&[0x8e, 0x4d, 0xa1, 0xbc]);
    assert_eq!(inv_mix_columns(&col)[..4], [0xdb, 0x13, 0x53, 0x45]);
}

/// The key material a call may leave behind: (name, bytes), for the key and for the other
/// candidate of the candidate-key calls.
fn key_material() -> Vec<(String, Vec<u8>)> {
    let mut all = material_of(&KEY, "");
    all.extend(material_of(&OTHER_KEY, "other candidate's "));
    all
}

fn material_of(key: &[u8; 16], whose: &str) -> Vec<(String, Vec<u8>)> {
    let rk = round_keys(key);
    let mut all = vec![(format!("{whose}session key"), key.to_vec())];
    let text = b64(key);
    for (i, w) in text.as_bytes().windows(16).enumerate() {
        all.push((format!("{whose}key text [{i}..{}]", i + 16), w.to_vec()));
    }
    for (r, k) in rk.iter().enumerate().skip(1) {
        all.push((format!("{whose}round key {r}"), k.to_vec()));
    }
    for (r, k) in rk.iter().enumerate().take(10).skip(1) {
        all.push((
            format!("{whose}decryption round key {r}"),
            inv_mix_columns(k).to_vec(),
        ));
    }
    all
}

// ---- Stack probe ------------------------------------------------------------------------

const PAINT: u8 = 0x5A;
/// Bytes of stack painted and scanned below the probe's frame.
const REGION: usize = 192 * 1024;
/// Bytes kept free between the probe's frame and the call, for the frames of the read-back.
const GAP: usize = 16 * 1024;

#[inline(never)]
fn paint() {
    let mut region = [PAINT; REGION];
    black_box(&mut region);
}

#[inline(never)]
fn below_gap(call: &mut dyn FnMut()) {
    let mut gap = [0u8; GAP];
    black_box(&mut gap);
    call();
    black_box(&mut gap);
}

/// Runs `call` on painted stack and returns the region it could have used, read back afterwards,
/// with the number of bytes that the call changed.
fn run_on_painted_stack(call: &mut dyn FnMut()) -> (Vec<u8>, usize) {
    use std::os::unix::fs::FileExt;
    let mem = std::fs::File::open("/proc/self/mem").expect("/proc/self/mem");
    let anchor = 0u8;
    let top = std::ptr::addr_of!(anchor) as usize;
    let low = top - REGION - 4096;
    let high = top - GAP / 2;
    paint();
    below_gap(call);
    let mut region = vec![0u8; high - low];
    mem.read_exact_at(&mut region, low as u64)
        .expect("read the stack back");
    black_box(&anchor);
    let changed = region.iter().filter(|&&b| b != PAINT).count();
    (region, changed)
}

fn leftovers(region: &[u8]) -> Vec<String> {
    let material = key_material();
    let index: std::collections::HashMap<&[u8], &str> =
        material.iter().map(|(n, b)| (&b[..], n.as_str())).collect();
    let mut found: Vec<String> = region
        .windows(16)
        .filter_map(|w| index.get(w).map(|n| n.to_string()))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// How deep below the region's top the deepest byte written by anything lies. The bottom of the
/// region read back was never painted (it is below the painted array): the depth is measured
/// from the first 1 KiB run of paint.
fn depth(region: &[u8]) -> usize {
    let floor = region
        .windows(1024)
        .position(|w| w.iter().all(|&b| b == PAINT))
        .expect("a painted run");
    let deepest = region[floor..]
        .iter()
        .position(|&b| b != PAINT)
        .map_or(region.len(), |i| i + floor);
    region.len() - deepest
}

/// Runs each outcome through `call`, returning per outcome what key material remained on the
/// stack region the call used, and whether the call wrote deeper than `calibrate` (the same
/// entry point failing at once, so that the deepest write is the scrub's own).
fn scan(
    api: &str,
    mut calibrate: impl FnMut(),
    mut call: impl FnMut(&str, &[u8], &mut [StepInfo; 32]),
) -> Vec<String> {
    let (region, _) = run_on_painted_stack(&mut || calibrate());
    let scrub_depth = depth(&region);
    let mut found = Vec::new();
    for (outcome, plaintext) in cases() {
        let data = encrypt(&plaintext);
        let mut steps = [StepInfo::default(); 32];
        let (region, changed) =
            run_on_painted_stack(&mut || call(outcome, data.as_bytes(), &mut steps));
        assert!(
            changed > 256,
            "{api} {outcome}: the probe did not see the call's stack"
        );
        for name in leftovers(&region) {
            found.push(format!("{api}, {outcome} ({}): {name}", backend()));
        }
        if let Some(at) = find_window(&region, &plaintext[..plaintext.len() - 16]) {
            found.push(format!("{api}, {outcome}: plaintext at stack offset {at}"));
        }
        let used = depth(&region);
        if used > scrub_depth {
            found.push(format!(
                "{api}, {outcome} ({}): wrote {used} bytes deep, below the scrub ({scrub_depth})",
                backend()
            ));
        }
    }
    found
}

/// The AES backend the `aes` crate picks on this CPU (its own detection: VAES-512 needs AVX-512F
/// and VAES, VAES-256 needs VAES, AES-NI needs AES).
fn backend() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("vaes") {
            "VAES-512"
        } else if is_x86_feature_detected!("vaes") {
            "VAES-256"
        } else if is_x86_feature_detected!("aes") {
            "AES-NI"
        } else {
            "software"
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        "non-x86 backend"
    }
}

/// werun's CBC decryption is right on the backend this run reached (`tests/secrets.sh` runs this
/// file on each of them): every length from 1 to 100 blocks, against the reference encryption.
#[test]
fn decryption_is_right_on_this_backend() {
    let plaintext: Vec<u8> = (0..100 * 16).map(|i| (i * 131 + i / 7) as u8).collect();
    for blocks in 1..=100 {
        let message = &plaintext[..blocks * 16 - 1];
        let mut buf = generate::encrypt_blocks(&KEY, &IV, &pkcs7(message));
        assert_eq!(buf.len(), blocks * 16);
        let len = werun::__internals::decrypt(&KEY, &IV, &mut buf);
        assert_eq!(len, Some(message.len()), "{blocks} blocks on {}", backend());
        assert_eq!(
            &buf[..message.len()],
            message,
            "{blocks} blocks on {}",
            backend()
        );
    }
}

/// Names the backend in the output (`--nocapture`), for `tests/secrets.sh`, which checks that
/// each run reached the backend it meant to.
#[test]
fn reports_the_aes_backend() {
    println!("aes backend: {}", backend());
}

/// The depth check sees a call that writes below the scrub: a control for check 3.
#[test]
fn the_probe_sees_a_write_below_the_scrub() {
    #[inline(never)]
    fn deep() {
        // Deeper than the scrub of any build (64 KiB in debug builds), within the painted region.
        let mut area = [1u8; 96 * 1024];
        black_box(&mut area);
    }
    let (calibration, _) = run_on_painted_stack(&mut || {
        let mut scratch = [0u8; 16];
        let mut steps = [StepInfo::default(); 1];
        let _ = black_box(decrypt_steps(
            &SessionKey::from_bytes(KEY),
            &Iv::from_bytes(IV),
            b"!",
            &options(),
            &mut scratch,
            &mut steps,
        ));
    });
    let (region, _) = run_on_painted_stack(&mut || deep());
    assert!(depth(&region) > depth(&calibration));
}

/// The probe sees key material that is left behind: a control, so that an empty finding means
/// something.
#[test]
fn the_probe_sees_a_key_schedule_left_on_the_stack() {
    #[inline(never)]
    fn careless() {
        let mut schedule = round_keys(&KEY);
        black_box(&mut schedule);
    }
    let (region, _) = run_on_painted_stack(&mut || careless());
    assert!(leftovers(&region).len() >= 10, "{:?}", leftovers(&region));
}

#[test]

fn no_key_material_remains_on_the_stack_after_the_rust_api() {
    let key = SessionKey::from_bytes(KEY);
    let iv = Iv::from_bytes(IV);
    let calibrate = || {
        let mut scratch = [0u8; 2048];
        let mut steps = [StepInfo::default(); 32];
        let r = decrypt_steps(&key, &iv, b"!", &options(), &mut scratch, &mut steps);
        assert!(black_box(r).is_err());
    };
    let mut found = scan("decrypt_steps", calibrate, |_, data, steps| {
        let mut scratch = [0u8; 2048];
        let _ = black_box(decrypt_steps(
            &key,
            &iv,
            data,
            &options(),
            &mut scratch,
            steps,
        ));
    });
    // The other entry points share the scrub's size: each is checked against it too, against a
    // calibration through the same function (same frames), failing at once.
    type Entry = fn(&SessionKey, &Iv, &[u8], &mut [StepInfo; 32]) -> bool;
    let others: [(&str, Entry); 3] = [
        ("decrypt_steps_in_place", in_place),
        ("open_data", open_data_scratch),
        ("open_data_in_place", open_data_text),
    ];
    for (api, entry) in others {
        let calibrate = || {
            let mut steps = [StepInfo::default(); 32];
            assert!(!entry(&key, &iv, b"!", &mut steps));
        };
        found.extend(scan(api, calibrate, |_, data, steps| {
            black_box(entry(&key, &iv, data, steps));
        }));
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// `decrypt_steps_in_place` on a copy of `data`: whether it succeeded.
#[inline(never)]
fn in_place(key: &SessionKey, iv: &Iv, data: &[u8], steps: &mut [StepInfo; 32]) -> bool {
    let mut text = data.to_vec();
    black_box(decrypt_steps_in_place(
        key,
        iv,
        &mut text,
        &options(),
        steps,
    ))
    .is_ok()
}

/// `open_data` into a scratch buffer on this frame, wiped afterwards (a success hands the JSON
/// back in it, which is no leftover): whether it succeeded.
#[inline(never)]
fn open_data_scratch(key: &SessionKey, iv: &Iv, data: &[u8], _: &mut [StepInfo; 32]) -> bool {
    let mut scratch = [0u8; 2048];
    let ok =
        black_box(open_data(key, iv, data, &options(), &mut scratch).map(|d| d.json.len())).is_ok();
    scratch.fill(0);
    black_box(&mut scratch);
    ok
}

/// `open_data_in_place` on a copy of `data`: whether it succeeded.
#[inline(never)]
fn open_data_text(key: &SessionKey, iv: &Iv, data: &[u8], _: &mut [StepInfo; 32]) -> bool {
    let mut text = data.to_vec();
    black_box(open_data_in_place(key, iv, &mut text, &options()).map(|d| d.json.len())).is_ok()
}

#[test]

fn no_key_material_remains_on_the_stack_after_the_c_abi() {
    let (k, v) = (b64(&KEY), b64(&IV));
    let c_options = werun_options {
        appid: APPID.as_ptr(),
        appid_len: APPID.len(),
        flags: WERUN_OPTION_CHECK_FRESHNESS,
        now: 1_717_171_400,
        max_age: 3_600,
    };
    let calibrate = || {
        let mut scratch = [0u8; 2048];
        let mut steps = [StepInfo::default(); 32];
        let mut summary = werun_summary::default();
        let status = common::c_decrypt_steps(
            &k,
            &v,
            "!",
            &c_options,
            &mut scratch,
            &mut steps,
            &mut summary,
        );
        assert_eq!(black_box(status), werun_status::EncryptedDataInvalid);
    };
    let found = scan("werun_decrypt_steps", calibrate, |_, data, steps| {
        let mut scratch = [0u8; 2048];
        let mut summary = werun_summary::default();
        black_box(common::c_decrypt_steps(
            &k,
            &v,
            data,
            &c_options,
            &mut scratch,
            steps,
            &mut summary,
        ));
    });
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn no_key_material_remains_on_the_stack_after_candidate_keys() {
    let (k, other, v) = (b64(&KEY), b64(&OTHER_KEY), b64(&IV));
    let c_options = werun_options {
        appid: APPID.as_ptr(),
        appid_len: APPID.len(),
        flags: WERUN_OPTION_CHECK_FRESHNESS,
        now: 1_717_171_400,
        max_age: 3_600,
    };
    let keys = [
        werun_bytes {
            ptr: other.as_ptr(),
            len: other.len(),
        },
        werun_bytes {
            ptr: k.as_ptr(),
            len: k.len(),
        },
    ];
    let call = |data: &[u8], steps: &mut [StepInfo; 32]| {
        let mut scratch = [0u8; 4096];
        let mut summary = werun_summary::default();
        let mut index = 0usize;
        werun_decrypt_steps_with_keys(
            keys.as_ptr(),
            keys.len(),
            v.as_ptr(),
            v.len(),
            data.as_ptr(),
            data.len(),
            &c_options,
            scratch.as_mut_ptr(),
            scratch.len(),
            steps.as_mut_ptr(),
            steps.len(),
            &mut summary,
            &mut index,
        )
    };
    let calibrate = || {
        let mut steps = [StepInfo::default(); 32];
        assert_eq!(
            black_box(call(b"!", &mut steps)),
            werun_status::EncryptedDataInvalid
        );
    };
    let found = scan(
        "werun_decrypt_steps_with_keys",
        calibrate,
        |_, data, steps| {
            black_box(call(data, steps));
        },
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "unoptimised builds copy the returned key through the caller's frame; `make test` runs this file with --release"
)]

fn no_key_material_remains_on_the_stack_after_decoding_the_key() {
    let text = b64(&KEY);
    let calibrate = || {
        let key = SessionKey::from_base64("!", Base64Mode::Repair);
        assert!(black_box(&key).is_err());
    };
    let found = scan("SessionKey::from_base64", calibrate, |_, _, _| {
        // The key stays where from_base64 returned it and is dropped (wiped) there: a move in
        // the caller's own code would leave a copy in the caller's frame, which is not werun's
        // memory.
        let key = SessionKey::from_base64(&text, Base64Mode::Repair);
        assert!(black_box(&key).is_ok());
        // Dropped here, in place (`drop(key)` would move it first).
    });
    assert!(found.is_empty(), "{found:#?}");
}
