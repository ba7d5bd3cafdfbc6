//! Measures what a padding-oracle attacker measures: the duration of `werun_decrypt_steps` (the
//! C ABI, as a backend calls it) for each cause of `DECRYPT_FAILED`, then runs the attack itself.
//!
//! 1. **Timing table**: a 31-entry payload (WeChat's compact layout) that succeeds, one whose
//!    padding is wrong, one whose next-to-last block is noise under a good padding (what an
//!    attacker's modified ciphertext decrypts to when the padding is right), and one broken at
//!    byte 0. The calls are interleaved (case A, B, C, D, A, B, ...) so that frequency changes
//!    and other load hit every case alike; the table gives the median per case.
//! 2. **The attack**: the last byte of the next-to-last ciphertext block takes all 256 values
//!    (the classic guess for the last plaintext byte); each guess is timed `--attack-calls`
//!    times, interleaved, and ranked by median. A leak shows as one guess (the one that makes
//!    the padding `01`) standing out; the report says whether the slowest guess is that one.
//!
//! `cargo run --release --features std --example padding_oracle [-- --calls N --attack-calls N]`
//!
//! A measuring tool, not a test: durations depend on the machine. The deterministic check of
//! the same property is `tests/ct` (instruction counts under callgrind).

#[path = "../tests/vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::hint::black_box;
use std::time::Instant;

use werun::ffi::{werun_decrypt_steps, werun_options, werun_status, werun_summary};
use werun::StepInfo;

const KEY: [u8; 16] = *b"oracle-demo-key!";
const IV: [u8; 16] = *b"oracle-demo-iv!!";
const APPID: &str = generate::APPID;

/// The payload; `first_step` changes its length (and so its padding).
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

/// Deterministic noise for a garbled block.
fn noise(seed: u64) -> [u8; 16] {
    let mut state = seed | 1;
    core::array::from_fn(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as u8
    })
}

struct Payload {
    key: String,
    iv: String,
    data: String,
}

impl Payload {
    fn from_padded(padded: &[u8]) -> Payload {
        Payload {
            key: generate::b64(&KEY),
            iv: generate::b64(&IV),
            data: generate::b64(&generate::encrypt_blocks(&KEY, &IV, padded)),
        }
    }
}

struct Caller {
    options: werun_options,
    scratch: Vec<u8>,
    steps: [StepInfo; 32],
}

impl Caller {
    fn new() -> Caller {
        Caller {
            options: werun_options {
                appid: APPID.as_ptr(),
                appid_len: APPID.len(),
                flags: 0,
                now: 0,
                max_age: 0,
            },
            scratch: vec![0u8; 4096],
            steps: [StepInfo::default(); 32],
        }
    }

    /// One timed call: (status, nanoseconds).
    #[inline(never)]
    fn call(&mut self, key: &str, iv: &str, data: &str) -> (werun_status, u64) {
        let mut summary = werun_summary::default();
        let start = Instant::now();
        let status = werun_decrypt_steps(
            black_box(key.as_ptr()),
            key.len(),
            iv.as_ptr(),
            iv.len(),
            black_box(data.as_ptr()),
            data.len(),
            &self.options,
            self.scratch.as_mut_ptr(),
            self.scratch.len(),
            self.steps.as_mut_ptr(),
            self.steps.len(),
            &mut summary,
        );
        let ns = start.elapsed().as_nanos() as u64;
        (black_box(status), ns)
    }
}

fn median(v: &mut [u64]) -> f64 {
    v.sort_unstable();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    }
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let calls = arg("--calls", 100_000);
    let attack_calls = arg("--attack-calls", 300);
    // A padding longer than one byte, so that one guess of the attack makes it `01`.
    let good = (0..)
        .map(|digits| generate::pkcs7(document(10u32.pow(digits)).as_bytes()))
        .find(|padded| *padded.last().unwrap() > 1)
        .unwrap();
    let blocks = good.len() / 16;

    let mut bad_padding = good.clone();
    *bad_padding.last_mut().unwrap() = 0x11;
    let mut garbled_next_to_last = good.clone();
    garbled_next_to_last[(blocks - 2) * 16..(blocks - 1) * 16].copy_from_slice(&noise(7));
    let mut broken_at_0 = good.clone();
    broken_at_0[0] = b'[';

    let cases: Vec<(&str, Payload, werun_status)> = vec![
        ("success", Payload::from_padded(&good), werun_status::Ok),
        (
            "padding failure",
            Payload::from_padded(&bad_padding),
            werun_status::DecryptFailed,
        ),
        (
            "JSON broken in the next-to-last block, padding good",
            Payload::from_padded(&garbled_next_to_last),
            werun_status::DecryptFailed,
        ),
        (
            "JSON broken at byte 0, padding good",
            Payload::from_padded(&broken_at_0),
            werun_status::DecryptFailed,
        ),
    ];

    let mut caller = Caller::new();
    let mut times: Vec<Vec<u64>> = cases.iter().map(|_| Vec::with_capacity(calls)).collect();
    // Warm-up, then interleaved rounds.
    for _ in 0..1000 {
        for (_, p, _) in &cases {
            caller.call(&p.key, &p.iv, &p.data);
        }
    }
    for _ in 0..calls {
        for (i, (name, p, want)) in cases.iter().enumerate() {
            let (status, ns) = caller.call(&p.key, &p.iv, &p.data);
            assert_eq!(status, *want, "{name}");
            times[i].push(ns);
        }
    }
    println!(
        "{} blocks of ciphertext, {calls} interleaved calls per case:",
        blocks
    );
    println!("{:<55} {:>12}", "case", "median (ns)");
    for ((name, _, _), t) in cases.iter().zip(&mut times) {
        println!("{name:<55} {:>12.0}", median(t));
    }

    // The attack: vary the last byte of the next-to-last ciphertext block.
    let ciphertext = generate::encrypt_blocks(&KEY, &IV, &good);
    let pad = *good.last().unwrap();
    let at = (blocks - 1) * 16 - 1;
    let guesses: Vec<Payload> = (0..=255u8)
        .map(|g| {
            let mut c = ciphertext.clone();
            c[at] ^= g;
            Payload {
                key: generate::b64(&KEY),
                iv: generate::b64(&IV),
                data: generate::b64(&c),
            }
        })
        .collect();
    // The guess that turns the last plaintext byte into 01 (a valid one-byte padding).
    let revealing = pad ^ 0x01;
    let mut per_guess: Vec<Vec<u64>> = (0..256).map(|_| Vec::with_capacity(attack_calls)).collect();
    for _ in 0..attack_calls {
        for (g, p) in guesses.iter().enumerate() {
            let (status, ns) = caller.call(&p.key, &p.iv, &p.data);
            if g != 0 {
                assert_eq!(status, werun_status::DecryptFailed, "guess {g}");
            }
            per_guess[g].push(ns);
        }
    }
    // Guess 0 is the unmodified ciphertext (a success): the attacker knows it and leaves it out.
    let mut ranked: Vec<(u8, f64)> = per_guess
        .iter_mut()
        .enumerate()
        .skip(1)
        .map(|(g, t)| (g as u8, median(t)))
        .collect();
    ranked.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap());
    let mut medians: Vec<u64> = ranked.iter().map(|r| r.1 as u64).collect();
    let typical = median(&mut medians);
    let rank = ranked.iter().position(|r| r.0 == revealing).unwrap() + 1;
    println!(
        "\nattack: 255 guesses x {attack_calls} interleaved calls; median of the guesses' medians {typical:.0} ns"
    );
    for (g, m) in ranked.iter().take(5) {
        let mark = if *g == revealing {
            "  <- makes the padding 01"
        } else {
            ""
        };
        println!("  guess 0x{g:02x}: {m:.0} ns{mark}");
    }
    let (top, top_ns) = ranked[0];
    let second_ns = ranked[1].1;
    println!(
        "revealing guess 0x{revealing:02x} ranks {rank} of 255 ({:.0} ns); slowest guess 0x{top:02x} is {:.2}x the typical median and {:.2}x the second slowest",
        ranked[rank - 1].1,
        top_ns / typical,
        top_ns / second_ns
    );
    if top == revealing && top_ns > 1.5 * second_ns {
        println!("the attack WORKS: the slowest guess gives the last plaintext byte");
    } else {
        println!("the attack fails: no guess stands out for the padding");
    }
}
