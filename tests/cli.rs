//! The command-line example: the sample, a table, JSON, and a precise exit code per status.

use std::path::PathBuf;
use std::process::{Command, Output};

fn cli() -> PathBuf {
    // target/<profile>/deps/cli-<hash> -> target/<profile>/examples/werun, which
    // `cargo build --examples` (run first by `make test`) or `cargo test` builds. (With
    // `--all-targets` alone, cargo builds the examples as test harnesses, under hashed names.)
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("werun{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --examples` first",
        path.display()
    );
    path
}

fn run(args: &[&str]) -> Output {
    Command::new(cli())
        .args(args)
        .output()
        .expect("run the werun example")
}

fn sample() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/werun.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["sample"].clone()
}

#[test]
fn without_arguments_prints_the_sample_as_a_table() {
    let out = run(&[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let steps = sample()["expect"]["steps"].as_array().unwrap().clone();
    // Header, 31 rows, a total line, the watermark line.
    assert_eq!(text.lines().count(), 1 + steps.len() + 2, "{text}");
    let first = text.lines().nth(1).unwrap();
    assert!(first.contains(&steps[0][0].to_string()) && first.contains(&steps[0][1].to_string()));
    assert!(first.starts_with("2024-05-02"), "{first}");
    let total: u64 = steps.iter().map(|s| s[1].as_u64().unwrap()).sum();
    assert!(text.contains(&format!("31 days, {total} steps")), "{text}");
}

#[test]
fn json_output_holds_every_step() {
    let s = sample();
    let out = run(&[
        "--session-key",
        s["session_key"].as_str().unwrap(),
        "--iv",
        s["iv"].as_str().unwrap(),
        "--appid",
        s["appid"].as_str().unwrap(),
        "--json",
        s["encrypted_data"].as_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<_> = v["stepInfoList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["timestamp"].clone(), e["step"].clone()))
        .collect();
    let want: Vec<_> = s["expect"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].clone(), e[1].clone()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(v["watermarkTimestamp"], s["expect"]["watermark_timestamp"]);
}

#[test]
fn reads_encrypted_data_from_stdin() {
    use std::io::Write;
    let s = sample();
    let mut child = Command::new(cli())
        .args([
            "--session-key",
            s["session_key"].as_str().unwrap(),
            "--iv",
            s["iv"].as_str().unwrap(),
            "--appid",
            s["appid"].as_str().unwrap(),
            "--json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(
        child.stdin.take().unwrap(),
        "{}",
        s["encrypted_data"].as_str().unwrap()
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stepInfoList"].as_array().unwrap().len(), 31);
}

#[test]
fn errors_exit_with_their_status_and_message() {
    let s = sample();
    let key = s["session_key"].as_str().unwrap();
    let iv = s["iv"].as_str().unwrap();
    let data = s["encrypted_data"].as_str().unwrap();
    for (args, code, message) in [
        (
            vec!["--session-key", "AAAA", "--iv", iv, "--appid", "wx", data],
            2,
            werun::Error::SessionKeyInvalid,
        ),
        (
            vec!["--session-key", key, "--iv", "AA", "--appid", "wx", data],
            3,
            werun::Error::IvInvalid,
        ),
        (
            vec!["--session-key", key, "--iv", iv, "--appid", "wx", "***"],
            4,
            werun::Error::EncryptedDataInvalid,
        ),
        (
            vec![
                "--session-key",
                key,
                "--iv",
                iv,
                "--appid",
                "wx0000000000000000",
                data,
            ],
            8,
            werun::Error::AppIdMismatch,
        ),
        (
            vec!["--session-key", iv, "--iv", iv, "--appid", "wx", data],
            7,
            werun::Error::DecryptFailed,
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.trim_end(), format!("werun: {}", message.message()));
        assert!(!stderr.contains("panicked"));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_64() {
    for args in [
        vec!["--bogus"],
        vec!["--session-key", "k", "--iv", "i", "x"],
        vec!["--iv"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(String::from_utf8(out.stderr).unwrap().contains("usage:"));
    }
}
