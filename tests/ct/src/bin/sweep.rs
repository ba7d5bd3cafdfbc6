//! The format-oracle attack of issue 24, timed on the wall clock: does a failed call still tell
//! how far the decrypted JSON got?
//!
//! The attacker sends one block X as `encryptedData` and chooses the iv, so the plaintext is
//! `D_K(X) ^ iv`. Sweeping the first iv byte over its 256 values makes the plaintext's first
//! byte take every value once; a reader that stops at the first wrong byte goes further (so takes
//! longer) for the 5 guesses that make it `{` or JSON whitespace (space, tab, LF, CR): the
//! "hits". Whoever finds them learns `D_K(X)[0]`.
//!
//! Each run fixes a fresh X (the key and the other 15 iv bytes are fixed), times every guess in
//! batches of `--batch` calls, round-robin over the 256 guesses in a fresh random order each
//! round (`--rounds` rounds, after a warm-up), takes each guess's median batch time, and ranks
//! the guesses by it (rank 1: the slowest; ties share their mean rank). It reports where the 5
//! hits stand: their ranks, their mean rank (128.5 expected when the time says nothing; `z` is
//! how many standard deviations of a random draw of 5 ranks it lies above that), and whether
//! they are the 5 slowest.
//!
//! Modes:
//! * default: `werun::decrypt_steps` (the public Rust call; `Options::expect_appid`, scratch
//!   and output preallocated). The verdict fails (exit 1) when the hits are the 5 slowest in a
//!   majority of runs, or their mean rank over all runs is within the top 5 % (<= 12.8).
//! * `--control`: the reader as it was before the format oracle was closed (base64 decoding,
//!   `__internals::decrypt`, then `__internals::parse_werun` on the plaintext whatever the
//!   padding): the method must detect it (exit 0 only when the hits are singled out, i.e. the
//!   5 slowest or a mean rank in the top 5 %, in a majority of runs), or it proves nothing.
//! * `--stage decode|decrypt|parse|is-json`: one stage of the control's work alone (for
//!   finding where time goes; no verdict, exit 0).
//! * `--stage werun+control`: `decrypt_steps`, then the control's reader, in each call: the
//!   control's leak on top of werun's own time and noise (verdict as `--control`), to show the
//!   method would see a leak that small at werun's time scale.
//!
//! Timing: the TSC (`rdtsc` between `lfence`s) on x86_64, `Instant` elsewhere; converted to
//! nanoseconds against `Instant` over each run. Nothing here is part of `make test`: a clock on
//! a shared machine is noisy, which is why `tests/ct/run.sh` counts instructions instead.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use werun::__internals as w;
use werun::{Base64Mode, Iv, Options, SessionKey, StepInfo};

const APPID: &str = "wx4f4bc4dec97d474b";
const KEY: [u8; 16] = *b"ct-decrypt-key!!";
const IV: [u8; 16] = *b"ct-decrypt-iv!!!";
const GUESSES: usize = 256;
const HITS: usize = 5;
/// The top 5 % of 256 ranks.
const TOP_RANK: f64 = 0.05 * GUESSES as f64;

// ---- clock ---------------------------------------------------------------------------------

/// A timestamp in ticks (TSC cycles on x86_64, nanoseconds elsewhere).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn ticks() -> u64 {
    use core::arch::x86_64::{_mm_lfence, _rdtsc};
    // SAFETY: `lfence` and `rdtsc` exist on every x86_64 CPU (SSE2 is part of the baseline);
    // they touch no memory: one orders the instruction stream, the other reads the time-stamp
    // counter. (`unused_unsafe`: newer compilers declare these intrinsics safe.)
    #[allow(unused_unsafe)]
    unsafe {
        _mm_lfence();
        let t = _rdtsc();
        _mm_lfence();
        t
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn ticks() -> u64 {
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

// ---- the calls -----------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Werun,
    Control,
    Decode,
    Decrypt,
    Parse,
    IsJson,
    /// `werun::decrypt_steps`, then the control's reader: the control's leak on top of
    /// werun's time and noise (can the method see a leak that small at werun's time scale?).
    WerunThenControl,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Werun => "werun::decrypt_steps",
            Mode::Control => "control (today's reader: decode, decrypt, parse_werun)",
            Mode::Decode => "stage: base64 decode",
            Mode::Decrypt => "stage: base64 decode + AES-CBC + PKCS#7",
            Mode::Parse => "stage: parse_werun on the plaintext",
            Mode::IsJson => "stage: is_json on the plaintext",
            Mode::WerunThenControl => {
                "werun::decrypt_steps, then the control (a leak on werun's time)"
            }
        }
    }
}

/// Everything one guess needs, prepared before the clock runs.
struct Guess {
    iv: Iv,
    iv_bytes: [u8; 16],
    /// `D_K(X) ^ iv`, for the parse stages.
    plaintext: [u8; 16],
    hit: bool,
}

struct Bench<'a> {
    key: SessionKey,
    data: &'a [u8],
    options: Options<'a>,
    scratch: Vec<u8>,
    out: [StepInfo; 32],
}

impl Bench<'_> {
    /// One call of the measured code for `guess`; whether it accepted the input.
    #[inline(never)]
    fn call(&mut self, mode: Mode, guess: &Guess) -> bool {
        let data = black_box(self.data);
        match mode {
            Mode::Werun => werun::decrypt_steps(
                &self.key,
                &guess.iv,
                data,
                &self.options,
                &mut self.scratch,
                &mut self.out,
            )
            .is_ok(),
            Mode::Control => {
                let Ok(len) = w::decode_base64(data, &mut self.scratch, Base64Mode::Repair) else {
                    return false;
                };
                let buf = &mut self.scratch[..len];
                let plain = w::decrypt(&KEY, &guess.iv_bytes, buf).unwrap_or(len);
                w::parse_werun(&buf[..plain], &mut self.out, APPID.as_bytes()).is_some()
            }
            Mode::Decode => w::decode_base64(data, &mut self.scratch, Base64Mode::Repair).is_ok(),
            Mode::Decrypt => {
                let Ok(len) = w::decode_base64(data, &mut self.scratch, Base64Mode::Repair) else {
                    return false;
                };
                w::decrypt(&KEY, &guess.iv_bytes, &mut self.scratch[..len]).is_some()
            }
            Mode::Parse => {
                w::parse_werun(black_box(&guess.plaintext), &mut self.out, APPID.as_bytes())
                    .is_some()
            }
            Mode::IsJson => w::is_json(black_box(&guess.plaintext)),
            Mode::WerunThenControl => {
                let werun = self.call(Mode::Werun, guess);
                let control = self.call(Mode::Control, guess);
                werun | control
            }
        }
    }
}

// ---- one run -------------------------------------------------------------------------------

struct Run {
    x: [u8; 16],
    byte0: u8,
    /// Per guess: median nanoseconds per call.
    median_ns: Vec<f64>,
    /// Per guess: rank by median, 1 = slowest, ties averaged.
    rank: Vec<f64>,
    hits: Vec<usize>,
}

impl Run {
    fn hit_ranks(&self) -> Vec<f64> {
        let mut r: Vec<f64> = self.hits.iter().map(|&g| self.rank[g]).collect();
        r.sort_by(f64::total_cmp);
        r
    }
    fn mean_hit_rank(&self) -> f64 {
        self.hit_ranks().iter().sum::<f64>() / HITS as f64
    }
    /// The hits are the 5 slowest, strictly (a tie with another guess does not count).
    fn top5(&self) -> bool {
        self.hit_ranks().iter().all(|&r| r <= HITS as f64)
    }
    fn singled_out(&self) -> bool {
        self.top5() || self.mean_hit_rank() <= TOP_RANK
    }
    fn median_of(&self, hit: bool) -> f64 {
        let mut v: Vec<f64> = (0..GUESSES)
            .filter(|g| self.hits.contains(g) == hit)
            .map(|g| self.median_ns[g])
            .collect();
        median_f64(&mut v)
    }
}

fn median_f64(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// How many standard deviations the mean of 5 ranks drawn without replacement from 1..=256
/// lies below its expectation (positive: the hits are slower than a random draw).
fn z_score(mean_rank: f64) -> f64 {
    let n = GUESSES as f64;
    let k = HITS as f64;
    let var = (n * n - 1.0) / 12.0 / k * (n - k) / (n - 1.0);
    ((n + 1.0) / 2.0 - mean_rank) / var.sqrt()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }
}

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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

/// AES-128 decryption of one block under `KEY` with the reference implementation: what the
/// attacker wants to learn.
fn decrypt_block(block: &[u8; 16]) -> [u8; 16] {
    use aes::cipher::{BlockCipherDecrypt, KeyInit};
    let cipher = aes::Aes128::new(&KEY.into());
    let mut b = (*block).into();
    cipher.decrypt_block(&mut b);
    b.into()
}

fn run_once(cfg: &Config, rng: &mut Rng) -> Run {
    let x: [u8; 16] = core::array::from_fn(|_| rng.next() as u8);
    let d = decrypt_block(&x);
    let key_text = b64(&KEY);
    let data_text = b64(&x);
    // Every guess: the iv as the attacker sends it (base64), decoded by werun's own decoder.
    let guesses: Vec<Guess> = (0..GUESSES)
        .map(|g| {
            let mut iv = IV;
            iv[0] = g as u8;
            let plaintext: [u8; 16] = core::array::from_fn(|i| d[i] ^ iv[i]);
            Guess {
                iv: Iv::from_base64(b64(&iv), Base64Mode::Strict).unwrap(),
                iv_bytes: iv,
                plaintext,
                hit: matches!(plaintext[0], b'{' | b' ' | b'\t' | b'\n' | b'\r'),
            }
        })
        .collect();
    let hits: Vec<usize> = (0..GUESSES).filter(|&g| guesses[g].hit).collect();
    assert_eq!(hits.len(), HITS);
    let mut bench = Bench {
        key: SessionKey::from_base64(&key_text, Base64Mode::Strict).unwrap(),
        data: data_text.as_bytes(),
        options: Options::expect_appid(APPID),
        scratch: vec![0u8; 64],
        out: [StepInfo::default(); 32],
    };
    // Every guess fails (a one-block plaintext is never WeRun data); checked once, untimed.
    if matches!(
        cfg.mode,
        Mode::Werun | Mode::Control | Mode::Parse | Mode::WerunThenControl
    ) {
        for g in &guesses {
            assert!(!bench.call(cfg.mode, g), "a guess was accepted");
        }
    }
    let rounds = cfg.rounds;
    let warmup = (rounds / 20).max(10);
    let mut samples = vec![0u32; GUESSES * rounds];
    let mut order: Vec<usize> = (0..GUESSES).collect();
    let (t_start, c_start) = (Instant::now(), ticks());
    for round in 0..warmup + rounds {
        for i in (1..GUESSES).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &g in &order {
            let guess = &guesses[g];
            let t0 = ticks();
            for _ in 0..cfg.batch {
                black_box(bench.call(cfg.mode, black_box(guess)));
            }
            let t1 = ticks();
            if round >= warmup {
                samples[g * rounds + round - warmup] = (t1 - t0).min(u64::from(u32::MAX)) as u32;
            }
        }
    }
    let ns_per_tick = t_start.elapsed().as_nanos() as f64 / (ticks() - c_start) as f64;
    let median_ns: Vec<f64> = samples
        .chunks_mut(rounds)
        .map(|s| {
            let mid = s.len() / 2;
            let m = *s.select_nth_unstable(mid).1;
            f64::from(m) * ns_per_tick / cfg.batch as f64
        })
        .collect();
    let mut by_time: Vec<usize> = (0..GUESSES).collect();
    by_time.sort_by(|&a, &b| median_ns[b].total_cmp(&median_ns[a]));
    let mut rank = vec![0.0; GUESSES];
    let mut i = 0;
    while i < GUESSES {
        let mut j = i;
        while j + 1 < GUESSES && median_ns[by_time[j + 1]] == median_ns[by_time[i]] {
            j += 1;
        }
        let shared = (i + j) as f64 / 2.0 + 1.0;
        for &g in &by_time[i..=j] {
            rank[g] = shared;
        }
        i = j + 1;
    }
    if cfg.verbose {
        for (r, &g) in by_time.iter().enumerate().take(cfg.verbose_top) {
            eprintln!(
                "  #{:<3} guess {g:3} byte0 {:#04x} {:8.2} ns{}",
                r + 1,
                guesses[g].plaintext[0],
                median_ns[g],
                if guesses[g].hit { "  hit" } else { "" }
            );
        }
    }
    Run {
        x,
        byte0: d[0],
        median_ns,
        rank,
        hits,
    }
}

// ---- main ----------------------------------------------------------------------------------

struct Config {
    mode: Mode,
    runs: usize,
    rounds: usize,
    batch: usize,
    seed: u64,
    verbose: bool,
    verbose_top: usize,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: sweep [--control | --stage decode|decrypt|parse|is-json|werun+control] [--runs N] [--rounds N] \
         [--batch N] [--seed N] [--verbose [TOP]]"
    );
    ExitCode::from(2)
}

fn fmt_rank(r: f64) -> String {
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn main() -> ExitCode {
    let mut cfg = Config {
        mode: Mode::Werun,
        runs: 3,
        rounds: 2000,
        batch: 16,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1,
        verbose: false,
        verbose_top: 12,
    };
    let mut args = std::env::args().skip(1).peekable();
    while let Some(arg) = args.next() {
        let number = |args: &mut std::iter::Peekable<_>| -> Option<u64> {
            let v: Option<String> = Iterator::next(args);
            v?.parse().ok()
        };
        match arg.as_str() {
            "--control" => cfg.mode = Mode::Control,
            "--stage" => {
                cfg.mode = match args.next().as_deref() {
                    Some("decode") => Mode::Decode,
                    Some("decrypt") => Mode::Decrypt,
                    Some("parse") => Mode::Parse,
                    Some("is-json") => Mode::IsJson,
                    Some("werun+control") => Mode::WerunThenControl,
                    _ => return usage(),
                }
            }
            "--runs" => match number(&mut args) {
                Some(n @ 1..) => cfg.runs = n as usize,
                _ => return usage(),
            },
            "--rounds" => match number(&mut args) {
                Some(n @ 1..) => cfg.rounds = n as usize,
                _ => return usage(),
            },
            "--batch" => match number(&mut args) {
                Some(n @ 1..) => cfg.batch = n as usize,
                _ => return usage(),
            },
            "--seed" => match number(&mut args) {
                Some(n) => cfg.seed = n | 1,
                _ => return usage(),
            },
            "--verbose" => {
                cfg.verbose = true;
                if let Some(n) = args.peek().and_then(|a| a.parse().ok()) {
                    cfg.verbose_top = n;
                    args.next();
                }
            }
            _ => return usage(),
        }
    }
    println!(
        "sweep: {} | {} runs x {} rounds x 256 guesses x {} calls, seed {}",
        cfg.mode.name(),
        cfg.runs,
        cfg.rounds,
        cfg.batch,
        cfg.seed
    );
    println!(
        "{:<4} {:<10} {:<7} {:<26} {:>9} {:>6} {:>5} {:>9} {:>9} {:>7}",
        "run",
        "X[..4]",
        "DK(X)0",
        "hit ranks (1 = slowest)",
        "mean rank",
        "z",
        "top5",
        "hits ns",
        "others ns",
        "secs"
    );
    let mut rng = Rng(cfg.seed);
    let mut runs = Vec::new();
    for n in 1..=cfg.runs {
        let started = Instant::now();
        let run = run_once(&cfg, &mut rng);
        let ranks: Vec<String> = run.hit_ranks().iter().map(|&r| fmt_rank(r)).collect();
        println!(
            "{:<4} {:<10} {:<7} {:<26} {:>9.1} {:>6.2} {:>5} {:>9.2} {:>9.2} {:>7.1}",
            n,
            run.x[..4]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            format!("{:#04x}", run.byte0),
            ranks.join(" "),
            run.mean_hit_rank(),
            z_score(run.mean_hit_rank()),
            if run.top5() { "yes" } else { "no" },
            run.median_of(true),
            run.median_of(false),
            started.elapsed().as_secs_f64()
        );
        runs.push(run);
    }
    let majority = cfg.runs / 2 + 1;
    let top5_runs = runs.iter().filter(|r| r.top5()).count();
    let singled_runs = runs.iter().filter(|r| r.singled_out()).count();
    let all_ranks: Vec<f64> = runs.iter().flat_map(Run::hit_ranks).collect();
    let overall = all_ranks.iter().sum::<f64>() / all_ranks.len() as f64;
    println!(
        "all runs: mean hit rank {overall:.1} (random: 128.5; top 5 %: <= {TOP_RANK:.1}); hits the 5 \
         slowest in {top5_runs}/{} runs; singled out (5 slowest or mean rank in the top 5 %) in \
         {singled_runs}/{} runs",
        cfg.runs, cfg.runs
    );
    match cfg.mode {
        Mode::Werun => {
            if top5_runs >= majority || overall <= TOP_RANK {
                println!("verdict: LEAK: the wall time still singles out '{{' and whitespace");
                ExitCode::FAILURE
            } else {
                println!("verdict: ok: the hits rank among the other guesses");
                ExitCode::SUCCESS
            }
        }
        Mode::Control | Mode::WerunThenControl => {
            if singled_runs >= majority {
                println!("verdict: ok: the method detects the control's leak");
                ExitCode::SUCCESS
            } else {
                println!("verdict: METHOD FAILED: the control's leak was not detected");
                ExitCode::FAILURE
            }
        }
        _ => ExitCode::SUCCESS,
    }
}
