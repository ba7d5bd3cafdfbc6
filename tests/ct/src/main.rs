//! Calls werun's strict PKCS#7 check (`__internals::unpadded_len`, the code the decryption uses)
//! once per case through `werun_ct_probe`, which `run.sh` measures under callgrind: one profile
//! dump per call, holding exactly the instructions and jumps executed inside it. Prints one line
//! per case: its class and name, in call order.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};

/// `--naive`: measure an obvious early-exit check instead, so that `run.sh` can show that the
/// method does see a leak when there is one.
static NAIVE: AtomicBool = AtomicBool::new(false);

/// The measured call. `#[no_mangle]` gives callgrind a stable name to toggle on.
#[no_mangle]
#[inline(never)]
pub fn werun_ct_probe(plaintext: &[u8; 32]) -> Option<usize> {
    if NAIVE.load(Ordering::Relaxed) {
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

fn main() {
    NAIVE.store(std::env::args().any(|a| a == "--naive"), Ordering::Relaxed);
    let mut cases: Vec<(&str, String, [u8; 32])> = Vec::new();
    // Valid padding of every length.
    for pad in 1..=16u8 {
        cases.push(("valid", format!("pad {pad}"), padded(pad)));
    }
    // Invalid: the count itself is wrong ...
    for pad in [0u8, 17, 32, 0x80, 0xFF] {
        cases.push(("invalid", format!("count {pad}"), padded(pad)));
    }
    // ... or one pad byte is wrong, at every position of every length (the check fails at
    // the first, second, ..., last byte a naive loop would compare).
    for pad in 2..=16u8 {
        for wrong in 1..usize::from(pad) {
            let mut b = padded(pad);
            b[31 - wrong] ^= 0x01;
            cases.push(("invalid", format!("pad {pad}, byte -{wrong} wrong"), b));
        }
    }
    // ... or the block is noise (what a wrong key gives), deterministic.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for n in 0..32 {
        let mut b = [0u8; 32];
        for byte in &mut b {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        let class = if werun_reference_valid(&b) {
            "valid"
        } else {
            "invalid"
        };
        cases.push((class, format!("noise {n}"), b));
    }
    for (class, name, block) in &cases {
        let got = werun_ct_probe(block);
        assert_eq!(
            got.is_some(),
            *class == "valid",
            "{name}: werun says {got:?}"
        );
        println!("{class}\t{name}");
    }
}

/// Strict PKCS#7 written the obvious way, to label the noise cases.
fn werun_reference_valid(b: &[u8; 32]) -> bool {
    let pad = usize::from(b[31]);
    (1..=16).contains(&pad) && b[32 - pad..].iter().all(|&x| usize::from(x) == pad)
}
