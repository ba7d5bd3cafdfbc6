//! werun as a peer of the benchmark harness quoted in docs/performance.md (not part of this
//! repository: there it runs as `EXTRA_PEERS="werun=<this binary>" ./run_peers.sh`).
//!
//! ```sh
//! cargo build --release --example bench_peer
//! target/release/examples/bench_peer DATASET [--reps N] [--warmup N]    # REPS is honoured too
//! ```
//!
//! The dataset is read and split into strings before timing, each payload's four fields side
//! by side in one text arena (as they arrive in one request body; with a separate allocation
//! per field, interleaved with the JSON loader's freed temporaries, the fields of a payload
//! landed far apart and a pass over 10,000 cold payloads cost ~80 ns more per 31-entry payload,
//! measured on an Intel Xeon model 207). A timed pass runs the whole job on
//! every payload, in order: base64 of `session_key` and `iv` (constant time), base64 of
//! `encryptedData`, per-payload AES key setup, CBC decryption, PKCS#7 check, JSON parse, appid
//! check, a fresh result array, and the checksum loop over it. The scratch buffer is reused
//! across payloads (as the C++ peers reuse theirs). Prints one JSON line, as peer `werun`;
//! `werun_std` when built with `--features std` (runtime-detected SIMD base64, what the C
//! library and the bindings use), `werun_native` when built with AVX2 enabled
//! (`RUSTFLAGS="-C target-cpu=native"`).

use std::time::Instant;

use werun::{decrypt_steps, Base64Mode, Iv, Options, SessionKey, StepInfo, DEFAULT_CAPACITY};

/// One payload's four fields, as ranges of the dataset's text arena: stored together (as they
/// arrive together in one request body), in the order the job reads them.
struct Record {
    start: usize,
    /// Ends of `session_key`, `iv`, `encryptedData` and `appid` in the arena.
    ends: [usize; 4],
}

impl Record {
    fn push(arena: &mut String, fields: [&str; 4]) -> Record {
        let start = arena.len();
        let mut ends = [0; 4];
        for (end, f) in ends.iter_mut().zip(fields) {
            arena.push_str(f);
            *end = arena.len();
        }
        Record { start, ends }
    }
    fn field<'a>(&self, arena: &'a str, i: usize) -> &'a str {
        let from = if i == 0 { self.start } else { self.ends[i - 1] };
        arena.get(from..self.ends[i]).unwrap_or_default()
    }
}

fn field<'a>(v: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    v.get(name)
        .unwrap_or_else(|| panic!("dataset line without {name}"))
}

fn text(v: &serde_json::Value, name: &str) -> String {
    field(v, name)
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not a string"))
        .to_owned()
}

fn number(v: &serde_json::Value, name: &str) -> i64 {
    v.get(name).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

/// One pass over every payload: (sum of steps, sum of timestamps).
fn pass(arena: &str, records: &[Record], scratch: &mut [u8]) -> (i64, i64) {
    let (mut steps, mut timestamps) = (0i64, 0i64);
    for (i, r) in records.iter().enumerate() {
        let result =
            SessionKey::from_base64(r.field(arena, 0), Base64Mode::Repair).and_then(|key| {
                let iv = Iv::from_base64(r.field(arena, 1), Base64Mode::Repair)?;
                let options = Options::expect_appid(r.field(arena, 3));
                let mut out = [StepInfo::default(); DEFAULT_CAPACITY];
                let data = decrypt_steps(
                    &key,
                    &iv,
                    r.field(arena, 2).as_bytes(),
                    &options,
                    scratch,
                    &mut out,
                )?;
                let (mut s, mut t) = (0i64, 0i64);
                for e in data.steps {
                    s += i64::from(e.step);
                    t += e.timestamp;
                }
                Ok((s, t))
            });
        match result {
            Ok((s, t)) => {
                steps += s;
                timestamps += t;
            }
            Err(e) => {
                eprintln!("payload {i}: {e:?}: {}", e.message());
                std::process::exit(1);
            }
        }
    }
    (steps, timestamps)
}

fn main() {
    let mut path = String::from("dataset.jsonl");
    let mut reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    let mut warmup: usize = 1;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reps" => reps = args.next().and_then(|v| v.parse().ok()).unwrap_or(reps),
            "--warmup" => warmup = args.next().and_then(|v| v.parse().ok()).unwrap_or(warmup),
            _ => path = a,
        }
    }
    let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let (mut want_steps, mut want_ts) = (0i64, 0i64);
    let mut records = Vec::new();
    let mut arena = String::with_capacity(file.len());
    for line in file.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("dataset line is JSON");
        want_steps += number(&v, "expected_sum");
        want_ts += number(&v, "expected_ts_sum");
        records.push(Record::push(
            &mut arena,
            [
                &text(&v, "session_key"),
                &text(&v, "iv"),
                &text(&v, "encryptedData"),
                &text(&v, "appid"),
            ],
        ));
    }
    drop(file);
    let n = records.len().max(1);
    let longest = records
        .iter()
        .map(|r| werun::scratch_len(r.field(&arena, 2).len()))
        .max()
        .unwrap_or(0);
    let mut scratch = vec![0u8; longest];

    for _ in 0..warmup {
        std::hint::black_box(pass(&arena, std::hint::black_box(&records), &mut scratch));
    }
    let mut per = Vec::with_capacity(reps.max(1));
    let mut ok = true;
    let mut got = (0, 0);
    for _ in 0..reps.max(1) {
        let t0 = Instant::now();
        got = std::hint::black_box(pass(&arena, std::hint::black_box(&records), &mut scratch));
        per.push(t0.elapsed().as_nanos() as f64 / n as f64);
        ok &= got.0 == want_steps && got.1 == want_ts;
    }
    per.sort_by(f64::total_cmp);
    let m = per.len();
    let med = if m % 2 == 1 {
        per[m / 2]
    } else {
        (per[m / 2 - 1] + per[m / 2]) / 2.0
    };
    let name = std::path::Path::new(&path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The build is in the name: `_std` with the `std` feature (runtime-detected SIMD base64),
    // `_native` with AVX2 enabled at compile time.
    let peer = match (cfg!(feature = "std"), cfg!(target_feature = "avx2")) {
        (false, false) => "werun",
        (true, false) => "werun_std",
        (false, true) => "werun_native",
        (true, true) => "werun_std_native",
    };
    println!(
        "{{\"peer\": \"{peer}\", \"dataset\": \"{name}\", \"payloads\": {}, \"reps\": {m}, \
         \"median_ns_per_payload\": {med:.1}, \"min_ns_per_payload\": {:.1}, \
         \"max_ns_per_payload\": {:.1}, \"payloads_per_s\": {:.1}, \"checksum\": {}, \
         \"expected_checksum\": {want_steps}, \"ok\": {ok}}}",
        records.len(),
        per[0],
        per[m - 1],
        1e9 / med,
        got.0
    );
    std::process::exit(if ok { 0 } else { 1 });
}
