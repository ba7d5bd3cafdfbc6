//! Times one decryption of the bundled 31-entry sample through the Rust API with `std::time`:
//! the median over batches. Same method as `tests/c/bench.c` for the C ABI, so the two can be
//! compared in one run (`make bench-c`). Criterion benches with stages are in `benches/`.
//!
//! `cargo run --release --example time_sample`

use std::time::Instant;

use werun::{decrypt_steps, Base64Mode, Iv, Options, SessionKey, StepInfo, DEFAULT_CAPACITY};

/// Calls per timed batch and number of batches (`WERUN_BATCH`, `WERUN_BATCHES` override them,
/// e.g. for a short run under callgrind).
fn sizes() -> (u32, usize) {
    let var = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    (var("WERUN_BATCH", 20_000) as u32, var("WERUN_BATCHES", 31))
}

fn main() {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../tests/vectors/werun.json")).expect("vectors");
    let s = &v["sample"];
    let text = |k: &str| s[k].as_str().expect("sample field").to_string();
    let (key, iv, data, appid) = (
        text("session_key"),
        text("iv"),
        text("encrypted_data"),
        text("appid"),
    );
    let mut scratch = vec![0u8; werun::scratch_len(data.len())];
    let mut steps = [StepInfo::default(); DEFAULT_CAPACITY];
    let (batch, batches) = sizes();
    let mut medians = Vec::with_capacity(batches);
    let mut checksum = 0u64;
    for _ in 0..batches {
        let start = Instant::now();
        for _ in 0..batch {
            // The whole job per call, key and IV decoding included, as the C ABI does it.
            let k = SessionKey::from_base64(std::hint::black_box(&key), Base64Mode::Repair)
                .expect("key");
            let i = Iv::from_base64(std::hint::black_box(&iv), Base64Mode::Repair).expect("iv");
            let options = Options::expect_appid(&appid);
            let d = decrypt_steps(
                &k,
                &i,
                std::hint::black_box(data.as_bytes()),
                &options,
                &mut scratch,
                &mut steps,
            )
            .expect("sample decrypts");
            checksum =
                checksum.wrapping_add(d.steps.iter().map(|s| u64::from(s.step)).sum::<u64>());
        }
        medians.push(start.elapsed().as_nanos() as f64 / f64::from(batch));
    }
    medians.sort_by(f64::total_cmp);
    println!(
        "rust api: median {:.1} ns per decryption (min {:.1}, max {:.1}; {batches} batches of {batch}; checksum {checksum})",
        medians[batches / 2],
        medians[0],
        medians[batches - 1]
    );
}
