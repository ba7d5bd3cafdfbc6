//! `werun`: decrypt WeRun data on the command line.
//!
//! ```sh
//! cargo run --example werun                      # the bundled 31-entry sample
//! cargo run --example werun -- --session-key K --iv I --appid wx... [--json] [--strict] [--skip-appid-check] [DATA]
//! ```
//!
//! `DATA` is the base64 `encryptedData`; without it, it is read from stdin. Errors go to stderr
//! with the library's message, and the exit code is the status number (2..=10); usage errors
//! exit with 64.

use std::io::Read;
use std::process::ExitCode;

use werun::{decrypt_steps, Base64Mode, Error, Iv, Options, SessionKey, StepInfo};

const USAGE: &str = "usage: werun [--session-key KEY --iv IV (--appid APPID | --skip-appid-check) \
[--json] [--strict] [ENCRYPTED_DATA]]\n\
Without arguments, decrypts the bundled 31-entry sample. ENCRYPTED_DATA is read from stdin when \
omitted.";

/// The bundled sample: the first vector of tests/vectors/werun.json.
const VECTORS: &str = include_str!("../tests/vectors/werun.json");

struct Args {
    session_key: String,
    iv: String,
    appid: Option<String>,
    data: String,
    json: bool,
    strict: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_none() {
        return sample();
    }
    let (mut key, mut iv, mut appid, mut data) = (None, None, None, None);
    let (mut json, mut strict, mut skip) = (false, false, false);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--session-key" => key = Some(value("--session-key")?),
            "--iv" => iv = Some(value("--iv")?),
            "--appid" => appid = Some(value("--appid")?),
            "--skip-appid-check" => skip = true,
            "--json" => json = true,
            "--strict" => strict = true,
            "--sample" => return sample().map(|s| Args { json, ..s }),
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other if data.is_none() => data = Some(other.to_string()),
            _ => return Err("more than one ENCRYPTED_DATA".into()),
        }
    }
    let data = match data {
        Some(d) => d,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("stdin: {e}"))?;
            s.trim_end_matches(['\n', '\r']).to_string()
        }
    };
    if appid.is_some() == skip {
        return Err("give exactly one of --appid and --skip-appid-check".into());
    }
    Ok(Args {
        session_key: key.ok_or("--session-key is required")?,
        iv: iv.ok_or("--iv is required")?,
        appid,
        data,
        json,
        strict,
    })
}

fn sample() -> Result<Args, String> {
    let v: serde_json::Value = serde_json::from_str(VECTORS).map_err(|e| e.to_string())?;
    let s = &v["sample"];
    let field = |k: &str| {
        s[k].as_str()
            .map(String::from)
            .ok_or(format!("sample has no {k}"))
    };
    Ok(Args {
        session_key: field("session_key")?,
        iv: field("iv")?,
        appid: Some(field("appid")?),
        data: field("encrypted_data")?,
        json: false,
        strict: false,
    })
}

fn decrypt(args: &Args) -> Result<(Vec<StepInfo>, Option<i64>), Error> {
    let mode = if args.strict {
        Base64Mode::Strict
    } else {
        Base64Mode::Repair
    };
    let key = SessionKey::from_base64(&args.session_key, mode)?;
    let iv = Iv::from_base64(&args.iv, mode)?;
    let options = match &args.appid {
        Some(a) => Options::expect_appid(a),
        None => Options::skip_appid_check(),
    }
    .base64(mode);
    let mut scratch = vec![0u8; werun::scratch_len(args.data.len())];
    // Real payloads have 31 entries; grow the output if a payload has more.
    let mut capacity = werun::DEFAULT_CAPACITY;
    loop {
        let mut out = vec![StepInfo::default(); capacity];
        match decrypt_steps(
            &key,
            &iv,
            args.data.as_bytes(),
            &options,
            &mut scratch,
            &mut out,
        ) {
            Ok(d) => return Ok((d.steps.to_vec(), d.watermark.map(|w| w.timestamp))),
            Err(Error::CapacityExceeded) if capacity < 1 << 20 => capacity *= 8,
            Err(e) => return Err(e),
        }
    }
}

/// `YYYY-MM-DD` of a Unix time in UTC+8 (WeChat's day boundary).
fn date_utc8(timestamp: i64) -> String {
    let days = (timestamp + 8 * 3600).div_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("werun: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if msg.is_empty() { 0 } else { 64 });
        }
    };
    match decrypt(&args) {
        Ok((steps, watermark)) if args.json => {
            let steps: Vec<_> = steps
                .iter()
                .map(|s| serde_json::json!({"timestamp": s.timestamp, "step": s.step}))
                .collect();
            let out = serde_json::json!({"stepInfoList": steps, "watermarkTimestamp": watermark});
            println!("{out}");
            ExitCode::SUCCESS
        }
        Ok((steps, watermark)) => {
            println!("{:<10}  {:>12}  {:>6}", "date", "timestamp", "steps");
            for s in &steps {
                println!(
                    "{:<10}  {:>12}  {:>6}",
                    date_utc8(s.timestamp),
                    s.timestamp,
                    s.step
                );
            }
            let total: u64 = steps.iter().map(|s| u64::from(s.step)).sum();
            println!("{} days, {total} steps", steps.len());
            if let Some(w) = watermark {
                println!("watermark {w} ({})", date_utc8(w));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("werun: {e}");
            ExitCode::from(u8::try_from(e.code()).unwrap_or(1))
        }
    }
}
