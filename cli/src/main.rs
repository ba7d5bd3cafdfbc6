//! `werun`: decrypts WeChat WeRun data, and any other open data, on the command line.
//!
//! ```sh
//! cargo run -p werun-cli                                   # the bundled 31-entry sample
//! cargo run -p werun-cli -- --session-key K --iv I --appid wx... [--json] DATA
//! cargo install --path cli && werun --help
//! ```
//!
//! The modes, options and exit codes are in [`help`] (`werun --help`). Dependencies: the
//! `werun` library only; the arguments are parsed and the JSON written by hand.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::ExitCode;

use werun::{
    decrypt_steps_with_keys, diagnose, open_data, scratch_len, scratch_len_with_keys, Base64Mode,
    Diagnosis, Error, Iv, Options, SessionKey, StepInfo, MAX_CANDIDATE_KEYS,
};

mod sample;

/// Usage errors (sysexits.h `EX_USAGE`).
const EXIT_USAGE: u8 = 64;
/// Reading stdin or writing stdout failed (sysexits.h `EX_IOERR`).
const EXIT_IO: u8 = 74;

const USAGE: &str = "\
usage: werun [steps] [OPTIONS] [ENCRYPTED_DATA]
       werun open-data [OPTIONS] [ENCRYPTED_DATA]
       werun diagnose [OPTIONS] [ENCRYPTED_DATA]
       werun help [MODE]";

/// What each mode does, for `--help` and `MODE --help`.
fn mode_text(mode: Mode) -> &'static str {
    match mode {
        Mode::Steps => {
            "  steps       (the default) decrypt WeRun data and print a table of date (UTC+8), timestamp
              and steps, or with --json {\"stepInfoList\":[{\"timestamp\":..,\"step\":..},..],
              \"watermarkTimestamp\":..,\"sessionKeyIndex\":..}
"
        }
        Mode::OpenData => {
            "  open-data   decrypt any open data (phone number, user info, share info, WeRun), verify its
              watermark and print its JSON as it was encrypted
"
        }
        Mode::Diagnose => {
            "  diagnose    print the likely cause of a failed decryption as NAME: message, one line per
              session key (with --json, one JSON object per line); exits 0 once a cause is
              named. For your logs only: never send a diagnosis to a client. It takes no
              --appid or --max-age (it checks neither): run steps or open-data with them
"
        }
    }
}

// The help says "up to 4 keys".
const _: () = assert!(MAX_CANDIDATE_KEYS == 4);

/// The options, each with the modes it applies to.
const OPTIONS: &[(&str, &[Mode])] = &[
    (
        "  --session-key KEY   the session_key from code2Session (base64). Repeat it (or the two
                      options below) to try up to 4 keys in order, e.g. the newest and the
                      previous one: the one that worked is reported by its index (0 for the
                      first). Prefer --session-key-file or --session-key-env: a command line
                      is kept in shell history and other local users can read it (ps)
",
        &Mode::ALL,
    ),
    (
        "  --session-key-file SOURCE
                      a session_key read from SOURCE, in the same list: a file's path, \"-\" for
                      stdin (then give ENCRYPTED_DATA as an argument) or fd:N for the open file
                      descriptor N (as openssl's -pass fd:N); one line, its line break removed
  --session-key-env NAME
                      a session_key from the environment variable NAME, in the same list
",
        &Mode::ALL,
    ),
    (
        "  --iv IV             the iv that came with encryptedData (base64)
",
        &Mode::ALL,
    ),
    (
        "  --appid APPID       accept only data whose watermark.appid is APPID
  --skip-appid-check  accept data for any appid (steps and open-data need this or --appid)
  --max-age SECONDS   also require the watermark to be at most SECONDS old, and not in the future
  --now UNIX_TIME     the time --max-age counts from (default: this machine's clock)
",
        &[Mode::Steps, Mode::OpenData],
    ),
    (
        "  --strict            refuse repaired base64 (a space for '+', line breaks, the URL-safe
                      alphabet, missing '=', %2B/%2F/%3D) in all three inputs
",
        &Mode::ALL,
    ),
    (
        "  --json              print JSON (open-data always prints JSON)
",
        &[Mode::Steps, Mode::Diagnose],
    ),
    (
        "  --sample            use the bundled sample (--appid and --skip-appid-check still apply to
                      steps and open-data)
",
        &Mode::ALL,
    ),
];

/// The `--help` text, or with a mode, that mode's (`werun help MODE`, `werun MODE --help`).
fn help(mode: Option<Mode>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut text = match mode {
        None => format!(
            "werun {version}: decrypts WeChat WeRun data (wx.getWeRunData) and other open data

{USAGE}
"
        ),
        Some(mode) => format!(
            "werun {version} {word}

usage: werun {word} [OPTIONS] [ENCRYPTED_DATA]
",
            word = mode.word()
        ),
    };
    text.push_str(
        "
ENCRYPTED_DATA is the base64 encryptedData as the backend received it; when it is omitted or
\"-\", it is read from stdin (trailing line breaks removed). Without --session-key, --iv,
--appid, --skip-appid-check and ENCRYPTED_DATA, the bundled 31-entry sample is used.

",
    );
    match mode {
        None => {
            text.push_str(
                "Modes (the first argument; werun help MODE or werun MODE --help for one):\n",
            );
            for mode in Mode::ALL {
                text.push_str(mode_text(mode));
            }
        }
        Some(mode) => text.push_str(mode_text(mode)),
    }
    text.push_str("\nOptions (\"--opt value\" or \"--opt=value\"; \"--\" ends the options):\n");
    for (option, modes) in OPTIONS {
        if mode.is_none_or(|mode| modes.contains(&mode)) {
            text.push_str(option);
        }
    }
    text.push_str(
        "  -h, --help          print this help
  -V, --version       print the version

Exit status:
    0  success
",
    );
    for error in Error::ALL {
        let _ = writeln!(
            text,
            "  {:>3}  {:<22}  {}",
            error.code(),
            error_name(error),
            error_summary(error)
        );
    }
    let _ = write!(
        text,
        "  {EXIT_USAGE:>3}  usage error (EX_USAGE), an unset --session-key-env or an unreadable
       --session-key-file
  {EXIT_IO:>3}  reading stdin or writing stdout failed (EX_IOERR)
For statuses 2 to 10 (werun's own), stderr holds the status's message: \"werun: MESSAGE\";
nothing on stdin exits 5 too, with \"werun: no encryptedData on stdin\".
"
    );
    if mode.is_some() {
        text.push_str("werun --help describes every mode.\n");
    }
    text
}

/// The C ABI's name of a status (`WERUN_STATUS_<name>`).
fn error_name(error: Error) -> &'static str {
    match error {
        Error::SessionKeyInvalid => "SESSION_KEY_INVALID",
        Error::IvInvalid => "IV_INVALID",
        Error::EncryptedDataInvalid => "ENCRYPTED_DATA_INVALID",
        Error::CiphertextLength => "CIPHERTEXT_LENGTH",
        Error::BufferTooSmall => "BUFFER_TOO_SMALL",
        Error::DecryptFailed => "DECRYPT_FAILED",
        Error::AppIdMismatch => "APPID_MISMATCH",
        Error::WatermarkExpired => "WATERMARK_EXPIRED",
        Error::CapacityExceeded => "CAPACITY_EXCEEDED",
        _ => "UNKNOWN",
    }
}

/// What a status means for this command, in a few words (the message says more).
fn error_summary(error: Error) -> &'static str {
    match error {
        Error::SessionKeyInvalid => "a --session-key is not base64 of 16 bytes",
        Error::IvInvalid => "--iv is not base64 of 16 bytes",
        Error::EncryptedDataInvalid => "ENCRYPTED_DATA is not base64",
        Error::CiphertextLength => "ENCRYPTED_DATA is not whole 16-byte blocks (truncated?)",
        Error::DecryptFailed => "no session key decrypts the data: try diagnose",
        Error::AppIdMismatch => "the data is another appid's",
        Error::WatermarkExpired => "older than --max-age, in the future, or no watermark",
        Error::BufferTooSmall | Error::CapacityExceeded => {
            "(not expected: werun sizes its buffers)"
        }
        _ => "",
    }
}

/// The C ABI's name of a diagnosis (`WERUN_DIAGNOSIS_<name>`).
fn diagnosis_name(diagnosis: Diagnosis) -> &'static str {
    match diagnosis {
        Diagnosis::WeRunData => "WERUN_DATA",
        Diagnosis::NotWeRunData => "NOT_WERUN_DATA",
        Diagnosis::SessionKeyMismatch => "SESSION_KEY_MISMATCH",
        Diagnosis::IvMismatch => "IV_MISMATCH",
        Diagnosis::Garbled => "GARBLED",
        Diagnosis::Truncated => "TRUNCATED",
        _ => "UNKNOWN",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Steps,
    OpenData,
    Diagnose,
}

impl Mode {
    const ALL: [Mode; 3] = [Mode::Steps, Mode::OpenData, Mode::Diagnose];

    fn from_word(word: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.word() == word)
    }

    fn word(self) -> &'static str {
        match self {
            Mode::Steps => "steps",
            Mode::OpenData => "open-data",
            Mode::Diagnose => "diagnose",
        }
    }
}

/// Whether a first argument that is not a mode was meant as one: a lowercase word of letters,
/// '-' or '_' that cannot be base64 of a ciphertext (whole 16-byte blocks, padding optional).
/// Real encryptedData is never such a word; `diagnos`, `open_data` and `help` are.
fn looks_like_a_mode(word: &str) -> bool {
    let letters = word.len();
    let whole_blocks = letters % 4 != 1 && {
        let bytes = letters * 3 / 4;
        bytes >= 16 && bytes.is_multiple_of(16)
    };
    !word.is_empty()
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
        && !whole_blocks
}

/// The number of single-character edits from `a` to `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The usage error for a first argument that looks like a mode and is not one.
fn unknown_mode(word: &str) -> String {
    let normalized = word.replace('_', "-");
    let words = || Mode::ALL.into_iter().map(Mode::word).chain(["help"]);
    let nearest = words()
        .map(|mode| (edit_distance(&normalized, mode), mode))
        .min()
        .filter(|&(distance, mode)| distance <= 3.max(mode.len() / 3))
        .map(|(_, mode)| mode)
        .or_else(|| {
            (normalized.len() >= 2)
                .then(words)
                .and_then(|mut modes| modes.find(|mode| mode.starts_with(&normalized)))
        });
    match nearest {
        Some(mode) => format!("unknown mode '{word}' (did you mean {mode}?)"),
        None => format!("unknown mode '{word}' (the modes are steps, open-data and diagnose)"),
    }
}

/// Where a candidate session key comes from.
#[derive(Debug, PartialEq, Eq)]
enum KeySource {
    /// `--session-key KEY`.
    Text(String),
    /// `--session-key-env NAME`: the environment variable NAME.
    Env(String),
    /// `--session-key-file SOURCE`: a file's path, `-` for stdin or `fd:N`.
    File(String),
}

impl KeySource {
    /// Whether this source reads stdin.
    fn is_stdin(&self) -> bool {
        matches!(self, KeySource::File(source) if source == "-" || source == "fd:0")
    }
}

/// The command line, as given.
#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    mode: Option<Mode>,
    /// In the order given.
    session_keys: Vec<KeySource>,
    iv: Option<String>,
    appid: Option<String>,
    skip_appid_check: bool,
    max_age: Option<u64>,
    now: Option<i64>,
    strict: bool,
    json: bool,
    sample: bool,
    /// `Some("-")` and `None` both mean stdin.
    data: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Run(Args),
    /// `--help`, `help [MODE]` or `MODE --help`: the whole help, or one mode's.
    Help(Option<Mode>),
    Version,
}

/// Parses the arguments (without the program name). `Err` is a usage error's message.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut args = args.into_iter().peekable();
    let mut parsed = Args::default();
    let first = args
        .peek()
        .and_then(|first| first.to_str())
        .map(String::from);
    if let Some(first) = first {
        if first == "help" {
            args.next();
            let mode = match args.next() {
                None => None,
                Some(word) => {
                    let word = word.to_string_lossy().into_owned();
                    Some(Mode::from_word(&word).ok_or_else(|| unknown_mode(&word))?)
                }
            };
            if args.next().is_some() {
                return Err("help takes one mode at most: werun help [MODE]".into());
            }
            return Ok(Command::Help(mode));
        }
        if let Some(mode) = Mode::from_word(&first) {
            parsed.mode = Some(mode);
            args.next();
        } else if looks_like_a_mode(&first) {
            return Err(unknown_mode(&first));
        }
    }
    let mut options_done = false;
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|arg| format!("{} is not UTF-8", arg.to_string_lossy()))?;
        if options_done || arg == "-" || !arg.starts_with('-') {
            if parsed.data.is_some() {
                return Err(match Mode::from_word(&arg) {
                    Some(_) => format!("the mode ({arg}) must be the first argument"),
                    None => "more than one ENCRYPTED_DATA".into(),
                });
            }
            if Mode::from_word(&arg).is_some() && !options_done {
                return Err(format!("the mode ({arg}) must be the first argument"));
            }
            parsed.data = Some(arg);
            continue;
        }
        if arg == "--" {
            options_done = true;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_string(), Some(value)),
            _ => (arg.clone(), None),
        };
        let flag = |set: &mut bool| match inline {
            Some(_) => Err(format!("{name} takes no value")),
            None => {
                *set = true;
                Ok(())
            }
        };
        match name.as_str() {
            "-h" | "--help" => {
                flag(&mut false)?;
                return Ok(Command::Help(parsed.mode));
            }
            "-V" | "--version" => {
                flag(&mut false)?;
                return Ok(Command::Version);
            }
            "--skip-appid-check" => flag(&mut parsed.skip_appid_check)?,
            "--strict" => flag(&mut parsed.strict)?,
            "--json" => flag(&mut parsed.json)?,
            "--sample" => flag(&mut parsed.sample)?,
            "--session-key" | "--session-key-env" | "--session-key-file" | "--iv" | "--appid"
            | "--max-age" | "--now" => {
                let value = match inline {
                    Some(value) => value.to_string(),
                    None => args
                        .next()
                        .ok_or(format!("{name} needs a value"))?
                        .into_string()
                        .map_err(|v| format!("{name} {} is not UTF-8", v.to_string_lossy()))?,
                };
                let once = |given: bool| match given {
                    true => Err(format!("{name} is given twice")),
                    false => Ok(()),
                };
                match name.as_str() {
                    "--session-key" => parsed.session_keys.push(KeySource::Text(value)),
                    "--session-key-env" => parsed.session_keys.push(KeySource::Env(value)),
                    "--session-key-file" => {
                        let source = KeySource::File(value.clone());
                        if parsed.session_keys.contains(&source) {
                            return Err(format!("{name} {value} is given twice"));
                        }
                        parsed.session_keys.push(source);
                    }
                    "--iv" => {
                        once(parsed.iv.is_some())?;
                        parsed.iv = Some(value);
                    }
                    "--appid" => {
                        once(parsed.appid.is_some())?;
                        parsed.appid = Some(value);
                    }
                    "--max-age" => {
                        once(parsed.max_age.is_some())?;
                        parsed.max_age = Some(value.parse().map_err(|_| {
                            format!("--max-age takes a number of seconds, not {value:?}")
                        })?);
                    }
                    _ => {
                        once(parsed.now.is_some())?;
                        parsed.now = Some(value.parse().map_err(|_| {
                            format!("--now takes a Unix time in seconds, not {value:?}")
                        })?);
                    }
                }
            }
            _ => return Err(format!("unknown option {name}")),
        }
    }
    Ok(Command::Run(parsed))
}

/// What to decrypt and how, checked.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    mode: Mode,
    session_keys: Vec<String>,
    iv: String,
    /// `None`: read stdin.
    data: Option<String>,
    /// `None`: the check is skipped (always for diagnose).
    appid: Option<String>,
    /// `(now, max_age)`; `now` is `None` for the machine's clock.
    freshness: Option<(Option<i64>, u64)>,
    strict: bool,
    json: bool,
}

/// Checks the combination of arguments, reading `--session-key-env` variables with `env` and
/// `--session-key-file` sources with `read` (after the checks). `Err` is a usage error's message.
fn plan(
    args: Args,
    env: impl Fn(&str) -> Option<String>,
    read: impl Fn(&str) -> Result<String, String>,
) -> Result<Plan, String> {
    let mode = args.mode.unwrap_or(Mode::Steps);
    let input_given = !args.session_keys.is_empty() || args.iv.is_some() || args.data.is_some();
    let sample = args.sample || !(input_given || args.appid.is_some() || args.skip_appid_check);
    if args.sample && input_given {
        return Err("--sample takes no --session-key, --iv or ENCRYPTED_DATA".into());
    }
    if args.session_keys.len() > MAX_CANDIDATE_KEYS {
        return Err(format!(
            "at most {MAX_CANDIDATE_KEYS} --session-key (got {})",
            args.session_keys.len()
        ));
    }
    if args.appid.is_some() && args.skip_appid_check {
        return Err("give only one of --appid and --skip-appid-check".into());
    }
    if mode == Mode::Diagnose {
        // werun::diagnose names a failure's cause whatever the appid and the watermark's age:
        // an option it would ignore is refused, not taken for a check.
        for (given, option) in [
            (args.appid.is_some(), "--appid"),
            (args.max_age.is_some() || args.now.is_some(), "--max-age"),
        ] {
            if given {
                return Err(format!(
                    "diagnose takes no {option}: it names the cause of a failure whatever the \
                     appid and the watermark's age; to check those, run werun steps (or werun \
                     open-data) with {option}"
                ));
            }
        }
    }
    if args.now.is_some() && args.max_age.is_none() {
        return Err("--now needs --max-age".into());
    }
    let (session_keys, iv, data, mut appid) = if sample {
        (
            vec![sample::SESSION_KEY.to_string()],
            sample::IV.to_string(),
            Some(sample::ENCRYPTED_DATA.to_string()),
            Some(sample::APPID.to_string()),
        )
    } else {
        if args.session_keys.is_empty() {
            return Err("--session-key is required".into());
        }
        let iv = args.iv.ok_or("--iv is required")?;
        let data = args.data.filter(|d| d != "-");
        let stdin_keys = args.session_keys.iter().filter(|s| s.is_stdin()).count();
        if stdin_keys > 1 || (stdin_keys == 1 && data.is_none()) {
            return Err(
                "stdin gives one input only: with --session-key-file - (or fd:0), give \
                        ENCRYPTED_DATA as an argument"
                    .into(),
            );
        }
        let keys = args
            .session_keys
            .into_iter()
            .map(|source| match source {
                KeySource::Text(key) => Ok(key),
                KeySource::Env(name) => env(&name).ok_or(format!(
                    "--session-key-env {name}: the environment variable {name} is not set (or \
                     not UTF-8)"
                )),
                KeySource::File(source) => {
                    let text =
                        read(&source).map_err(|e| format!("--session-key-file {source}: {e}"))?;
                    let key = text.trim_end_matches(['\n', '\r']);
                    if key.is_empty() {
                        Err(format!("--session-key-file {source}: empty"))
                    } else if key.contains(['\n', '\r']) {
                        Err(format!(
                            "--session-key-file {source}: more than one line (one session_key \
                             per file)"
                        ))
                    } else {
                        Ok(key.to_string())
                    }
                }
            })
            .collect::<Result<_, _>>()?;
        (keys, iv, data, None)
    };
    if args.appid.is_some() || args.skip_appid_check {
        appid = args.appid;
    } else if !sample && mode != Mode::Diagnose {
        return Err("give --appid APPID (or, to accept any appid, --skip-appid-check)".into());
    }
    Ok(Plan {
        mode,
        session_keys,
        iv,
        data,
        appid: appid.filter(|_| mode != Mode::Diagnose),
        freshness: args.max_age.map(|max_age| (args.now, max_age)),
        strict: args.strict,
        json: args.json,
    })
}

/// A failure and its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn status(error: Error) -> Self {
        Failure {
            code: u8::try_from(error.code()).unwrap_or(1),
            message: error.message().to_string(),
        }
    }

    /// A status for one of several session keys, naming which.
    fn key_status(error: Error, index: usize, keys: usize) -> Self {
        let mut failure = Failure::status(error);
        if keys > 1 {
            failure.message = format!("session key {index}: {}", failure.message);
        }
        failure
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Runs a checked plan on `data`: what to print on stdout.
fn run(plan: &Plan, data: &[u8]) -> Result<String, Failure> {
    let mode = if plan.strict {
        Base64Mode::Strict
    } else {
        Base64Mode::Repair
    };
    let keys = plan
        .session_keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            SessionKey::from_base64(key, mode)
                .map_err(|e| Failure::key_status(e, i, plan.session_keys.len()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let iv = Iv::from_base64(&plan.iv, mode).map_err(Failure::status)?;
    if data.is_empty() {
        // The library's status for empty data, with a message that says what happened: no
        // data came, rather than "truncated".
        return Err(Failure {
            message: match plan.data {
                None => "no encryptedData on stdin (pipe it in, or give it as an argument)",
                Some(_) => "ENCRYPTED_DATA is empty",
            }
            .into(),
            ..Failure::status(Error::CiphertextLength)
        });
    }
    let mut options = match &plan.appid {
        Some(appid) => Options::expect_appid(appid),
        None => Options::skip_appid_check(),
    }
    .base64(mode);
    if let Some((at, max_age)) = plan.freshness {
        options = options.max_age(at.unwrap_or_else(now), max_age);
    }
    match plan.mode {
        Mode::Steps => steps(&keys, &iv, data, &options, plan.json),
        Mode::OpenData => open(&keys, &iv, data, &options),
        Mode::Diagnose => diagnoses(&keys, &iv, data, mode, plan.json),
    }
}

fn steps(
    keys: &[SessionKey],
    iv: &Iv,
    data: &[u8],
    options: &Options<'_>,
    json: bool,
) -> Result<String, Failure> {
    let mut scratch = vec![0u8; scratch_len_with_keys(data.len())];
    // Real payloads have 31 entries; the output grows if one has more.
    let mut capacity = werun::DEFAULT_CAPACITY;
    let (index, steps, watermark) = loop {
        let mut out = vec![StepInfo::default(); capacity];
        match decrypt_steps_with_keys(keys, iv, data, options, &mut scratch, &mut out) {
            Ok((index, d)) => break (index, d.steps.to_vec(), d.watermark.map(|w| w.timestamp)),
            Err(Error::CapacityExceeded) if capacity < 1 << 20 => capacity *= 8,
            Err(e) => return Err(Failure::status(e)),
        }
    };
    let mut out = String::new();
    if json {
        out.push_str("{\"stepInfoList\":[");
        for (i, s) in steps.iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            let _ = write!(
                out,
                "{comma}{{\"timestamp\":{},\"step\":{}}}",
                s.timestamp, s.step
            );
        }
        let watermark = watermark.map_or("null".to_string(), |w| w.to_string());
        let _ = writeln!(
            out,
            "],\"watermarkTimestamp\":{watermark},\"sessionKeyIndex\":{index}}}"
        );
        return Ok(out);
    }
    let _ = writeln!(out, "{:<10}  {:>12}  {:>6}", "date", "timestamp", "steps");
    for s in &steps {
        let _ = writeln!(
            out,
            "{:<10}  {:>12}  {:>6}",
            date_utc8(s.timestamp),
            s.timestamp,
            s.step
        );
    }
    let total: u64 = steps.iter().map(|s| u64::from(s.step)).sum();
    let days = if steps.len() == 1 { "day" } else { "days" };
    let _ = writeln!(out, "{} {days}, {total} steps", steps.len());
    if let Some(w) = watermark {
        let _ = writeln!(out, "watermark {w} ({})", date_utc8(w));
    }
    if keys.len() > 1 {
        let _ = writeln!(out, "session key index {index} of {}", keys.len());
    }
    Ok(out)
}

fn open(
    keys: &[SessionKey],
    iv: &Iv,
    data: &[u8],
    options: &Options<'_>,
) -> Result<String, Failure> {
    let mut scratch = vec![0u8; scratch_len(data.len())];
    for (index, key) in keys.iter().enumerate() {
        match open_data(key, iv, data, options, &mut scratch) {
            Ok(opened) => {
                if keys.len() > 1 {
                    eprintln!("werun: session key index {index} of {} worked", keys.len());
                }
                return Ok(format!("{}\n", opened.json));
            }
            // As decrypt_steps_with_keys: the next key is tried only when this one does not
            // decrypt the data; a key that does decides the outcome.
            Err(Error::DecryptFailed) if index + 1 < keys.len() => {}
            Err(e) => return Err(Failure::status(e)),
        }
    }
    Err(Failure::status(Error::DecryptFailed))
}

fn diagnoses(
    keys: &[SessionKey],
    iv: &Iv,
    data: &[u8],
    mode: Base64Mode,
    json: bool,
) -> Result<String, Failure> {
    let mut scratch = vec![0u8; scratch_len(data.len())];
    let mut out = String::new();
    for (index, key) in keys.iter().enumerate() {
        let diagnosis = diagnose(key, iv, data, mode, &mut scratch).map_err(Failure::status)?;
        let name = diagnosis_name(diagnosis);
        if json {
            let _ = writeln!(
                out,
                "{{\"sessionKeyIndex\":{index},\"diagnosis\":\"{name}\",\"code\":{},\"message\":{}}}",
                diagnosis.code(),
                json_string(diagnosis.message())
            );
        } else if keys.len() > 1 {
            let _ = writeln!(out, "session key {index}: {name}: {diagnosis}");
        } else {
            let _ = writeln!(out, "{name}: {diagnosis}");
        }
    }
    Ok(out)
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `YYYY-MM-DD` of a Unix time in UTC+8 (WeChat's day boundary).
fn date_utc8(timestamp: i64) -> String {
    let days = timestamp.saturating_add(8 * 3600).div_euclid(86_400);
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

/// The text of a `--session-key-file` source: a path, `-` (stdin) or `fd:N`.
fn read_key_source(source: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let read = if source == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else if let Some(fd) = source.strip_prefix("fd:") {
        let fd: u32 = fd
            .parse()
            .map_err(|_| format!("fd:N takes a file descriptor number, not {fd:?}"))?;
        if cfg!(unix) {
            std::fs::File::open(format!("/dev/fd/{fd}")).and_then(|mut f| f.read_to_end(&mut bytes))
        } else {
            return Err("fd:N needs a Unix system".into());
        }
    } else {
        std::fs::File::open(source).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    read.map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())
}

/// The data from stdin, without its trailing line breaks.
fn read_stdin() -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    std::io::stdin().lock().read_to_end(&mut data)?;
    while matches!(data.last(), Some(b'\n' | b'\r')) {
        data.pop();
    }
    Ok(data)
}

fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("werun: writing stdout: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("werun: {message}\n{USAGE}\n(werun --help for more)");
    ExitCode::from(EXIT_USAGE)
}

fn main() -> ExitCode {
    let plan = match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Help(mode)) => return print(&help(mode)),
        Ok(Command::Version) => return print(&format!("werun {}\n", env!("CARGO_PKG_VERSION"))),
        Ok(Command::Run(args)) => {
            match plan(args, |name| std::env::var(name).ok(), read_key_source) {
                Ok(plan) => plan,
                Err(message) => return usage_error(&message),
            }
        }
        Err(message) => return usage_error(&message),
    };
    let stdin;
    let data = match &plan.data {
        Some(data) => data.as_bytes(),
        None => match read_stdin() {
            Ok(read) => {
                stdin = read;
                &stdin
            }
            Err(e) => {
                eprintln!("werun: reading stdin: {e}");
                return ExitCode::from(EXIT_IO);
            }
        },
    };
    match run(&plan, data) {
        Ok(text) => print(&text),
        Err(failure) => {
            eprintln!("werun: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(OsString::from))
    }

    fn planned(args: &[&str]) -> Result<Plan, String> {
        match parse(args)? {
            Command::Run(args) => plan(
                args,
                |name| (name == "KEY_VAR").then(|| "E".to_string()),
                |source| match source {
                    "key.txt" | "-" | "fd:3" | "fd:0" => Ok(format!("F{source}\r\n")),
                    "two-lines" => Ok("A\nB\n".into()),
                    "empty" => Ok("\n".into()),
                    _ => Err("No such file or directory (os error 2)".into()),
                },
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_inline_or_separate() {
        let a = planned(&[
            "--session-key=K",
            "--iv",
            "I",
            "--appid=wx",
            "--max-age=60",
            "D",
        ]);
        let b = planned(&[
            "--session-key",
            "K",
            "--iv=I",
            "--appid",
            "wx",
            "--max-age",
            "60",
            "D",
        ]);
        assert_eq!(a, b);
        let a = a.unwrap();
        assert_eq!(
            (a.session_keys, a.iv, a.data, a.appid, a.freshness),
            (
                vec!["K".to_string()],
                "I".into(),
                Some("D".into()),
                Some("wx".into()),
                Some((None, 60))
            )
        );
        // A value may start with '-' or hold '=' (base64 padding).
        let p = planned(&[
            "--session-key",
            "-K==",
            "--iv=I==",
            "--appid",
            "wx",
            "--",
            "-D",
        ])
        .unwrap();
        assert_eq!((p.session_keys[0].as_str(), p.iv.as_str()), ("-K==", "I=="));
        assert_eq!(p.data.as_deref(), Some("-D"));
    }

    #[test]
    fn modes_and_the_sample() {
        assert_eq!(planned(&[]).unwrap().mode, Mode::Steps);
        assert_eq!(planned(&[]).unwrap().session_keys, [sample::SESSION_KEY]);
        assert_eq!(
            planned(&["--json"]).unwrap().data.as_deref(),
            Some(sample::ENCRYPTED_DATA)
        );
        assert_eq!(planned(&["open-data"]).unwrap().mode, Mode::OpenData);
        let d = planned(&["diagnose", "--session-key", "K", "--iv", "I"]).unwrap();
        assert_eq!((d.mode, d.appid, d.data), (Mode::Diagnose, None, None));
        // Another appid for the sample; "-" is stdin.
        let s = planned(&["--sample", "--appid", "wx0"]).unwrap();
        assert_eq!(
            (s.appid.as_deref(), s.iv.as_str()),
            (Some("wx0"), sample::IV)
        );
        let p = planned(&["--session-key", "K", "--iv", "I", "--skip-appid-check", "-"]).unwrap();
        assert_eq!((p.appid, p.data), (None, None));
    }

    #[test]
    fn keys_from_the_environment_keep_their_place() {
        let p = planned(&[
            "--session-key=A",
            "--session-key-env",
            "KEY_VAR",
            "--session-key",
            "B",
            "--iv=I",
            "--appid=wx",
            "D",
        ])
        .unwrap();
        assert_eq!(p.session_keys, ["A", "E", "B"]);
        let err = planned(&["--session-key-env=NOPE", "--iv=I", "--appid=wx", "D"]).unwrap_err();
        assert!(err.contains("NOPE is not set"), "{err}");
    }

    #[test]
    fn keys_from_files_keep_their_place() {
        let p = planned(&[
            "--session-key-file=key.txt",
            "--session-key=A",
            "--session-key-file",
            "fd:3",
            "--session-key-file",
            "-",
            "--iv=I",
            "--appid=wx",
            "D",
        ])
        .unwrap();
        assert_eq!(p.session_keys, ["Fkey.txt", "A", "Ffd:3", "F-"]);
        let base = ["--iv=I", "--appid=wx"];
        for (args, wanted) in [
            (
                &["--session-key-file=nope", "D"][..],
                "--session-key-file nope: No such file",
            ),
            (&["--session-key-file=two-lines", "D"], "more than one line"),
            (
                &["--session-key-file=empty", "D"],
                "--session-key-file empty: empty",
            ),
            (&["--session-key-file=-"], "stdin gives one input only"),
            (
                &["--session-key-file=fd:0", "-"],
                "stdin gives one input only",
            ),
            (
                &["--session-key-file=-", "--session-key-file=fd:0", "D"],
                "stdin gives one input only",
            ),
            (
                &[
                    "--session-key-file=key.txt",
                    "--session-key-file",
                    "key.txt",
                    "D",
                ],
                "--session-key-file key.txt is given twice",
            ),
        ] {
            let err = planned(&[&base[..], args].concat()).unwrap_err();
            assert!(err.contains(wanted), "{args:?}: {err}");
        }
    }

    #[test]
    fn repeated_keys_in_order_up_to_the_maximum() {
        let keys = ["A", "B", "C", "D", "E"];
        let mut args = vec![];
        for k in &keys[..MAX_CANDIDATE_KEYS] {
            args.extend(["--session-key", k]);
        }
        args.extend(["--iv", "I", "--appid", "wx", "D"]);
        assert_eq!(
            planned(&args).unwrap().session_keys,
            keys[..MAX_CANDIDATE_KEYS]
        );
        args.extend(["--session-key", "E"]);
        assert!(planned(&args).unwrap_err().contains("at most 4"));
    }

    #[test]
    fn help_and_version() {
        assert_eq!(parse(&["--help"]), Ok(Command::Help(None)));
        assert_eq!(parse(&["help"]), Ok(Command::Help(None)));
        assert_eq!(
            parse(&["diagnose", "-h"]),
            Ok(Command::Help(Some(Mode::Diagnose)))
        );
        assert_eq!(
            parse(&["help", "open-data"]),
            Ok(Command::Help(Some(Mode::OpenData)))
        );
        assert!(parse(&["help", "steps", "x"])
            .unwrap_err()
            .contains("one mode"));
        assert_eq!(parse(&["-V"]), Ok(Command::Version));
        for mode in Mode::ALL {
            let help = help(Some(mode));
            assert!(
                help.contains(&format!("usage: werun {} ", mode.word())),
                "{help}"
            );
            assert!(
                help.contains(" 64 ") && help.contains("DECRYPT_FAILED"),
                "{help}"
            );
            assert!(help.lines().all(|l| l.len() <= 100), "{help}");
        }
        assert!(!help(Some(Mode::Diagnose)).contains("  --max-age SECONDS"));
        let help = help(None);
        for word in [
            "--session-key",
            "--max-age",
            "open-data",
            "diagnose",
            " 64 ",
            "DECRYPT_FAILED",
        ] {
            assert!(help.contains(word), "{word}");
        }
        assert!(help.lines().all(|l| l.len() <= 100), "{help}");
    }

    #[test]
    fn usage_errors() {
        for (args, wanted) in [
            (&["--bogus"][..], "unknown option --bogus"),
            (&["--iv"], "--iv needs a value"),
            (&["--json=yes"], "--json takes no value"),
            (&["--session-key", "K", "--iv", "I", "D"], "--appid"),
            (
                &["--session-key", "K", "--appid", "wx", "D"],
                "--iv is required",
            ),
            (
                &["--iv", "I", "--appid", "wx", "D"],
                "--session-key is required",
            ),
            (&["--iv", "I", "--iv", "J"], "given twice"),
            (&["--appid", "a", "--skip-appid-check"], "only one of"),
            (&["--max-age", "-1"], "number of seconds"),
            (&["--max-age", "9", "--now", "x"], "Unix time"),
            (&["--now", "9"], "--now needs --max-age"),
            (&["--sample", "D"], "--sample takes no"),
            (&["--session-key", "K", "D", "E"], "more than one"),
            (&["--json", "diagnose"], "must be the first argument"),
            (&["-x"], "unknown option -x"),
            (
                &["diagnose", "--appid", "wx"],
                "diagnose takes no --appid: it names the cause",
            ),
            (
                &[
                    "diagnose",
                    "--session-key",
                    "K",
                    "--iv",
                    "I",
                    "--max-age",
                    "9",
                ],
                "diagnose takes no --max-age",
            ),
        ] {
            let err = planned(args).unwrap_err();
            assert!(err.contains(wanted), "{args:?}: {err}");
        }
    }

    #[test]
    fn mistyped_modes() {
        for (word, wanted) in [
            ("diagnos", "unknown mode 'diagnos' (did you mean diagnose?)"),
            (
                "open_data",
                "unknown mode 'open_data' (did you mean open-data?)",
            ),
            ("step", "unknown mode 'step' (did you mean steps?)"),
            ("diag", "(did you mean diagnose?)"),
            ("hlep", "(did you mean help?)"),
            (
                "xyz",
                "unknown mode 'xyz' (the modes are steps, open-data and diagnose)",
            ),
        ] {
            let err = parse(&[word, "--session-key", "K"]).unwrap_err();
            assert!(err.contains(wanted), "{word}: {err}");
            assert!(
                parse(&["help", word]).unwrap_err().contains(wanted),
                "{word}"
            );
        }
        // Base64 of whole 16-byte blocks is data, even when it is a lowercase word; so are
        // words with capitals, digits, '+', '/' or '='.
        for data in [
            "abcdefghijklmnopqrstuv",
            &"a".repeat(43),
            &"a".repeat(64),
            "AAAA",
            "abc=",
            "ab+c",
            "-",
        ] {
            match parse(&[data]) {
                Ok(Command::Run(args)) => assert_eq!(args.data.as_deref(), Some(data)),
                other => panic!("{data}: {other:?}"),
            }
        }
        assert!(looks_like_a_mode("abcdefghijklmnopqrstu"));
        assert!(looks_like_a_mode(&"a".repeat(24)));
        assert_eq!(edit_distance("diagnos", "diagnose"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn dates_in_utc8() {
        assert_eq!(date_utc8(1_714_579_200), "2024-05-02");
        assert_eq!(date_utc8(0), "1970-01-01");
        assert_eq!(date_utc8(-8 * 3600 - 1), "1969-12-31");
        assert_eq!(date_utc8(951_753_600), "2000-02-29");
    }

    #[test]
    fn json_strings() {
        assert_eq!(
            json_string("a\"b\\c\nd\u{1}é"),
            "\"a\\\"b\\\\c\\nd\\u0001é\""
        );
    }

    #[test]
    fn names_cover_every_status_and_diagnosis() {
        for error in Error::ALL {
            assert_ne!(error_name(error), "UNKNOWN");
        }
        for code in 0..=5 {
            assert_ne!(
                diagnosis_name(Diagnosis::from_code(code).unwrap()),
                "UNKNOWN"
            );
        }
    }
}
