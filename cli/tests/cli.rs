//! The `werun` command as a user runs it: the sample, a table, JSON, the modes, candidate keys,
//! every test vector, and a precise exit code per status.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The binary's constants, checked against the vector file below.
#[path = "../src/sample.rs"]
mod sample;

const EX_USAGE: i32 = 64;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_werun"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run werun")
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_werun"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run werun");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/werun.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sample_vector() -> Value {
    vectors()["sample"].clone()
}

/// `[[timestamp, step], ...]` of a `--json` output.
fn json_steps(v: &Value) -> Vec<(i64, u64)> {
    v["stepInfoList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["timestamp"].as_i64().unwrap(),
                e["step"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `[[timestamp, step], ...]` of a vector's expectation.
fn expected_steps(expect: &Value) -> Vec<(i64, u64)> {
    expect["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].as_i64().unwrap(), e[1].as_u64().unwrap()))
        .collect()
}

fn status_code(vectors: &Value, name: &str) -> i32 {
    let status = vectors["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no status {name}"));
    i32::try_from(status["code"].as_i64().unwrap()).unwrap()
}

#[test]
fn the_bundled_sample_is_the_vector_files() {
    let s = sample_vector();
    assert_eq!(sample::SESSION_KEY, s["session_key"]);
    assert_eq!(sample::IV, s["iv"]);
    assert_eq!(sample::APPID, s["appid"]);
    assert_eq!(sample::ENCRYPTED_DATA, s["encrypted_data"]);
}

#[test]
fn without_arguments_prints_the_sample_as_a_table() {
    let out = run(&[]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
    let text = String::from_utf8(out.stdout).unwrap();
    let steps = sample_vector()["expect"]["steps"]
        .as_array()
        .unwrap()
        .clone();
    // Header, 31 rows, a total line, the watermark line.
    assert_eq!(text.lines().count(), 1 + steps.len() + 2, "{text}");
    let first = text.lines().nth(1).unwrap();
    assert!(first.contains(&steps[0][0].to_string()) && first.contains(&steps[0][1].to_string()));
    assert!(first.starts_with("2024-05-02"), "{first}");
    let total: u64 = steps.iter().map(|s| s[1].as_u64().unwrap()).sum();
    assert!(text.contains(&format!("31 days, {total} steps")), "{text}");
    assert!(
        text.ends_with("watermark 1717201234 (2024-06-01)\n"),
        "{text}"
    );
    // --sample says the same.
    assert_eq!(run(&["--sample"]).stdout, text.as_bytes());
}

#[test]
fn json_output_holds_every_step() {
    let s = sample_vector();
    for args in [
        vec![
            "--session-key",
            s["session_key"].as_str().unwrap(),
            "--iv",
            s["iv"].as_str().unwrap(),
            "--appid",
            s["appid"].as_str().unwrap(),
            "--json",
            s["encrypted_data"].as_str().unwrap(),
        ],
        vec!["--json"],
        vec!["steps", "--sample", "--json"],
    ] {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json_steps(&v), expected_steps(&s["expect"]));
        assert_eq!(v["watermarkTimestamp"], s["expect"]["watermark_timestamp"]);
        assert_eq!(v["sessionKeyIndex"], 0);
    }
}

#[test]
fn options_take_their_value_inline_or_next() {
    let s = sample_vector();
    let inline = [
        format!("--session-key={}", s["session_key"].as_str().unwrap()),
        format!("--iv={}", s["iv"].as_str().unwrap()),
        format!("--appid={}", s["appid"].as_str().unwrap()),
        "--max-age=60".into(),
        "--now=1717201294".into(),
        "--json".into(),
        "--".into(),
        s["encrypted_data"].as_str().unwrap().into(),
    ];
    let out = run(&inline.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json_steps(&v).len(), 31);
}

#[test]
fn reads_encrypted_data_from_stdin() {
    let s = sample_vector();
    let data = format!("{}\r\n", s["encrypted_data"].as_str().unwrap());
    let common = [
        "--session-key",
        s["session_key"].as_str().unwrap(),
        "--iv",
        s["iv"].as_str().unwrap(),
        "--appid",
        s["appid"].as_str().unwrap(),
    ];
    for extra in [&["--json"][..], &["--json", "-"]] {
        let args: Vec<&str> = common.iter().chain(extra).copied().collect();
        let out = run_with_stdin(&args, data.as_bytes());
        assert!(out.status.success(), "{}", text(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["stepInfoList"].as_array().unwrap().len(), 31);
    }
    let mut args = vec!["open-data"];
    args.extend(common);
    let out = run_with_stdin(&args, data.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["watermark"]["appid"], s["appid"]);
}

#[test]
fn empty_stdin_says_so() {
    let s = sample_vector();
    let common = [
        "--session-key",
        s["session_key"].as_str().unwrap(),
        "--iv",
        s["iv"].as_str().unwrap(),
    ];
    let length = i32::try_from(werun::Error::CiphertextLength.code()).unwrap();
    for (mode, appid) in [
        (&[][..], &["--appid", "wx"][..]),
        (&["open-data"], &["--skip-appid-check"]),
        (&["diagnose"], &[]),
    ] {
        for (stdin, extra) in [(&b""[..], &[][..]), (b"\r\n", &["-"]), (b"", &["--json"])] {
            let args = [mode, &common, appid, extra].concat();
            let out = run_with_stdin(&args, stdin);
            assert_eq!(out.status.code(), Some(length), "{args:?}");
            assert!(
                text(&out.stderr).starts_with("werun: no encryptedData on stdin"),
                "{args:?}: {}",
                text(&out.stderr)
            );
            assert!(out.stdout.is_empty());
        }
        let args = [mode, &common, appid, &["--", ""]].concat();
        let out = run(&args);
        assert_eq!(out.status.code(), Some(length), "{args:?}");
        assert_eq!(text(&out.stderr), "werun: ENCRYPTED_DATA is empty\n");
    }
}

#[test]
fn errors_exit_with_their_status_and_message() {
    let s = sample_vector();
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
            vec!["--session-key", key, "--iv", iv, "--appid", "wx", "AAAA"],
            5,
            werun::Error::CiphertextLength,
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
        (
            vec!["--max-age", "60", "--now", "1717201295"],
            9,
            werun::Error::WatermarkExpired,
        ),
        (
            vec![
                "open-data",
                "--session-key",
                iv,
                "--iv",
                iv,
                "--appid",
                "wx",
                data,
            ],
            7,
            werun::Error::DecryptFailed,
        ),
        (
            vec!["diagnose", "--session-key", key, "--iv", iv, "***"],
            4,
            werun::Error::EncryptedDataInvalid,
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert_eq!(code, i32::try_from(message.code()).unwrap());
        let stderr = text(&out.stderr);
        assert_eq!(stderr.trim_end(), format!("werun: {}", message.message()));
        assert!(!stderr.contains("panicked"));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn usage_errors_exit_64() {
    let five_keys = ["--session-key", "AAAAAAAAAAAAAAAAAAAAAA=="].repeat(5);
    for args in [
        vec!["--bogus"],
        vec!["--session-key", "k", "--iv", "i", "x"],
        vec!["--iv"],
        vec!["--json=1"],
        vec!["--now", "5"],
        vec!["--max-age", "soon"],
        vec!["--sample", "--iv", "i"],
        vec!["--appid", "wx", "--skip-appid-check"],
        vec!["--json", "open-data"],
        [&five_keys[..], &["--iv", "i", "--appid", "wx", "x"]].concat(),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(EX_USAGE), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("werun: "), "{stderr}");
        assert!(stderr.contains("usage:"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn mistyped_modes_are_usage_errors() {
    for (args, wanted) in [
        (
            &["diagnos"][..],
            "werun: unknown mode 'diagnos' (did you mean diagnose?)",
        ),
        (
            &["open_data", "--session-key", "K"],
            "werun: unknown mode 'open_data' (did you mean open-data?)",
        ),
        (
            &["stpes", "--json"],
            "werun: unknown mode 'stpes' (did you mean steps?)",
        ),
        (
            &["help", "diagnos"],
            "werun: unknown mode 'diagnos' (did you mean diagnose?)",
        ),
        (
            &["help", "steps", "steps"],
            "werun: help takes one mode at most",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(EX_USAGE), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(wanted), "{args:?}: {stderr}");
        assert!(stderr.contains("usage:"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_per_mode() {
    for (args, mode) in [
        (&["help", "diagnose"][..], "diagnose"),
        (&["diagnose", "--help"], "diagnose"),
        (&["open-data", "-h"], "open-data"),
        (&["help", "steps"], "steps"),
        (&["steps", "--json", "--help"], "steps"),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stderr.is_empty());
        let help = text(&out.stdout);
        assert!(help.starts_with(&format!("werun {} {mode}\n", env!("CARGO_PKG_VERSION"))));
        assert!(
            help.contains(&format!("usage: werun {mode} [OPTIONS]")),
            "{help}"
        );
        assert!(
            help.contains("--session-key") && help.contains(" 64 "),
            "{help}"
        );
    }
    // diagnose checks no appid and no age: its help does not offer them.
    let help = String::from_utf8(run(&["help", "diagnose"]).stdout).unwrap();
    assert!(
        !help.contains("  --max-age SECONDS") && !help.contains("  open-data   "),
        "{help}"
    );
}

#[test]
fn help_and_version_go_to_stdout() {
    for args in [&["--help"][..], &["-h"], &["help"], &["--json", "--help"]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(out.stderr.is_empty());
        let help = text(&out.stdout);
        assert!(help.starts_with("werun "), "{help}");
        for word in [
            "usage:",
            "--session-key",
            "--max-age",
            "open-data",
            "diagnose",
            "64",
        ] {
            assert!(help.contains(word), "{word}");
        }
        // Every status the command can exit with is listed with its code.
        for error in werun::Error::ALL {
            assert!(
                help.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{} ", error.code()))),
                "{error:?}"
            );
        }
    }
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("werun {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn open_data_prints_the_verified_json() {
    let v = vectors();
    let phone = v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "open-data-phone")
        .unwrap();
    let args = [
        "open-data",
        "--session-key",
        phone["session_key"].as_str().unwrap(),
        "--iv",
        phone["iv"].as_str().unwrap(),
        "--appid",
        phone["appid"].as_str().unwrap(),
        phone["encrypted_data"].as_str().unwrap(),
    ];
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{}\n", phone["expect"]["json"].as_str().unwrap())
    );
    // Steps mode refuses it: it is not WeRun data.
    let out = run(&args[1..]);
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn diagnose_prints_the_name_and_message() {
    let out = run(&["diagnose"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("WERUN_DATA: {}\n", werun::Diagnosis::WeRunData.message())
    );
    // A stale key and the right one, one line each; then as JSON lines.
    let s = sample_vector();
    let stale = "i0vns4pveFuOIEpP3pxrbQ==";
    let args = [
        "diagnose",
        "--session-key",
        stale,
        "--session-key",
        s["session_key"].as_str().unwrap(),
        "--iv",
        s["iv"].as_str().unwrap(),
        s["encrypted_data"].as_str().unwrap(),
    ];
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mismatch = werun::Diagnosis::SessionKeyMismatch;
    assert_eq!(
        text(&out.stdout),
        format!(
            "session key 0: SESSION_KEY_MISMATCH: {}\nsession key 1: WERUN_DATA: {}\n",
            mismatch.message(),
            werun::Diagnosis::WeRunData.message()
        )
    );
    let out = run(&[&args[..], &["--json"]].concat());
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0],
        serde_json::json!({"sessionKeyIndex": 0, "diagnosis": "SESSION_KEY_MISMATCH",
            "code": mismatch.code(), "message": mismatch.message()})
    );
    assert_eq!(lines[1]["diagnosis"], "WERUN_DATA");
}

#[test]
fn candidate_keys_report_the_one_that_worked() {
    let v = vectors();
    for x in v["keys_vectors"].as_array().unwrap() {
        let mut args = vec![
            "--json".to_string(),
            "--iv".into(),
            x["iv"].as_str().unwrap().into(),
        ];
        for key in x["session_keys"].as_array().unwrap() {
            args.extend(["--session-key".into(), key.as_str().unwrap().into()]);
        }
        args.extend(["--appid".into(), x["appid"].as_str().unwrap().into()]);
        args.extend(["--".into(), x["encrypted_data"].as_str().unwrap().into()]);
        let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let id = &x["id"];
        let expect = &x["expect"];
        let status = expect["status"].as_str().unwrap();
        assert_eq!(out.status.code(), Some(status_code(&v, status)), "{id}");
        if status == "OK" {
            let got: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(got["sessionKeyIndex"], expect["key_index"], "{id}");
            assert_eq!(json_steps(&got), expected_steps(expect), "{id}");
        } else {
            assert!(out.stdout.is_empty(), "{id}");
        }
    }
}

#[test]
fn candidate_keys_in_the_table_open_data_and_errors() {
    let s = sample_vector();
    let (key, iv, appid) = (
        s["session_key"].as_str().unwrap(),
        s["iv"].as_str().unwrap(),
        s["appid"].as_str().unwrap(),
    );
    let data = s["encrypted_data"].as_str().unwrap();
    let stale = "i0vns4pveFuOIEpP3pxrbQ==";
    let keys = ["--session-key", stale, "--session-key", key];
    let rest = ["--iv", iv, "--appid", appid, data];
    let out = run(&[&keys[..], &rest].concat());
    assert!(out.status.success());
    assert!(text(&out.stdout).ends_with("session key index 1 of 2\n"));
    let out = run(&[&["open-data"][..], &keys, &rest].concat());
    assert!(out.status.success());
    assert_eq!(
        text(&out.stderr),
        "werun: session key index 1 of 2 worked\n"
    );
    assert!(text(&out.stdout).starts_with("{\"stepInfoList\":"));
    // An invalid candidate fails the call, naming which; no candidate right is DECRYPT_FAILED.
    let bad = ["--session-key", key, "--session-key", "not a key"];
    let out = run(&[&bad[..], &rest].concat());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        format!(
            "werun: session key 1: {}",
            werun::Error::SessionKeyInvalid.message()
        )
    );
    let none = ["--session-key", stale, "--session-key", stale];
    for mode in [&[][..], &["open-data"]] {
        let out = run(&[mode, &none, &rest].concat());
        assert_eq!(out.status.code(), Some(7));
        assert_eq!(
            text(&out.stderr).trim_end(),
            format!("werun: {}", werun::Error::DecryptFailed.message())
        );
    }
}

/// The arguments that give a vector's inputs and options.
fn vector_args(x: &Value) -> Option<Vec<String>> {
    let field = |k: &str| x[k].as_str().map(String::from);
    let mut args = vec![
        "--session-key".to_string(),
        field("session_key")?,
        "--iv".into(),
        field("iv")?,
    ];
    match field("appid") {
        Some(appid) => args.extend(["--appid".into(), appid]),
        None => args.push("--skip-appid-check".into()),
    }
    if let (Some(now), Some(max_age)) = (x["now"].as_i64(), x["max_age"].as_u64()) {
        args.extend([format!("--now={now}"), format!("--max-age={max_age}")]);
    }
    if x["strict_base64"] == true {
        args.push("--strict".into());
    }
    args.extend(["--".into(), field("encrypted_data")?]);
    // Command-line arguments cannot hold NUL.
    (!args.iter().any(|a| a.contains('\0'))).then_some(args)
}

#[test]
fn every_vector_through_the_command() {
    let v = vectors();
    let mut checked = (0, 0, 0);
    for x in v["vectors"].as_array().unwrap() {
        let id = &x["id"];
        let expect = &x["expect"];
        // The command sizes its scratch and grows its output: the vectors that test a
        // caller's sizes do not apply.
        if x["capacity"] != 32 || !x["scratch_len"].is_null() {
            continue;
        }
        let Some(args) = vector_args(x) else { continue };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let status = expect["status"].as_str().unwrap();
        let open = x["api"] == "open_data";
        let mode = if open { "open-data" } else { "--json" };
        let out = run(&[&[mode][..], &args].concat());
        if status == "CAPACITY_EXCEEDED" {
            // The command grows its output instead.
            assert!(out.status.success(), "{id}");
            let got: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert!(json_steps(&got).len() > 32, "{id}");
            continue;
        }
        assert_eq!(
            out.status.code(),
            Some(status_code(&v, status)),
            "{id}: {}",
            text(&out.stderr)
        );
        if status == "OK" {
            if open {
                let json = expect["json"].as_str().unwrap();
                assert_eq!(text(&out.stdout), format!("{json}\n"), "{id}");
            } else {
                let got: Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(json_steps(&got), expected_steps(expect), "{id}");
                assert_eq!(
                    got["watermarkTimestamp"], expect["watermark_timestamp"],
                    "{id}"
                );
            }
            checked.0 += 1;
        } else {
            assert!(out.stdout.is_empty(), "{id}");
            checked.1 += 1;
        }
        if let Some(diagnosis) = expect["diagnosis"].as_str() {
            // diagnose checks no appid and no age, and refuses the options that ask for it.
            let mut diagnose_args = vec!["diagnose", "--json"];
            let mut rest = args.iter().copied();
            while let Some(arg) = rest.next() {
                match arg {
                    "--appid" => {
                        rest.next();
                    }
                    _ if arg.starts_with("--now=") || arg.starts_with("--max-age=") => {}
                    _ => diagnose_args.push(arg),
                }
            }
            let out = run(&diagnose_args);
            assert!(out.status.success(), "{id}: {}", text(&out.stderr));
            let got: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(got["diagnosis"], diagnosis, "{id}");
            checked.2 += 1;
        }
    }
    // Most of the file applies (a check that the loop did not skip everything).
    assert!(
        checked.0 >= 29 && checked.1 >= 80 && checked.2 >= 80,
        "{checked:?}"
    );
}

#[test]
fn session_keys_from_the_environment() {
    let s = sample_vector();
    let args = [
        "--session-key",
        "i0vns4pveFuOIEpP3pxrbQ==",
        "--session-key-env",
        "WERUN_TEST_KEY",
        "--iv",
        s["iv"].as_str().unwrap(),
        "--appid",
        s["appid"].as_str().unwrap(),
        "--json",
        s["encrypted_data"].as_str().unwrap(),
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_werun"))
        .args(args)
        .env("WERUN_TEST_KEY", s["session_key"].as_str().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sessionKeyIndex"], 1);
    // Not set: a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_werun"))
        .args(args)
        .env_remove("WERUN_TEST_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(EX_USAGE));
    assert!(text(&out.stderr).contains("WERUN_TEST_KEY is not set"));
}

#[test]
fn session_keys_from_a_file_stdin_or_a_descriptor() {
    let s = sample_vector();
    let key = s["session_key"].as_str().unwrap();
    let stale = "i0vns4pveFuOIEpP3pxrbQ==";
    let dir = std::env::temp_dir().join(format!("werun-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("key");
    std::fs::write(&file, format!("{key}\n")).unwrap();
    let file = file.to_str().unwrap();
    let rest = [
        "--iv",
        s["iv"].as_str().unwrap(),
        "--appid",
        s["appid"].as_str().unwrap(),
        "--json",
        s["encrypted_data"].as_str().unwrap(),
    ];
    let index = |out: &Output| -> Value {
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["sessionKeyIndex"].clone()
    };
    // A path, after a stale key: index 1.
    let out = run(&[
        &["--session-key", stale, "--session-key-file", file][..],
        &rest,
    ]
    .concat());
    assert_eq!(index(&out), 1);
    // "-": the key on stdin, the data as an argument.
    let args = [&["--session-key-file=-"][..], &rest].concat();
    let out = run_with_stdin(&args, format!("{key}\r\n").as_bytes());
    assert_eq!(index(&out), 0);
    // fd:N, as openssl's -pass fd:N.
    #[cfg(unix)]
    {
        let script = format!("exec \"$0\" --session-key-file fd:3 \"$@\" 3<'{file}'",);
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(env!("CARGO_BIN_EXE_werun"))
            .args(rest)
            .output()
            .unwrap();
        assert_eq!(index(&out), 0);
    }
    // Usage errors: a missing file, stdin for both the key and the data, a source given twice.
    let missing = dir.join("missing");
    for (args, wanted) in [
        (
            vec!["--session-key-file", missing.to_str().unwrap()],
            "No such file",
        ),
        (
            vec!["--session-key-file", "-", "--iv", "i", "--appid", "wx"],
            "stdin gives one input only",
        ),
        (
            vec!["--session-key-file", file, "--session-key-file", file],
            "is given twice",
        ),
        (vec!["--session-key-file", "fd:x"], "file descriptor number"),
    ] {
        let args = if args.len() == 2 {
            [&args[..], &rest].concat()
        } else {
            args
        };
        let out = run(&args);
        assert_eq!(out.status.code(), Some(EX_USAGE), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(wanted), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diagnose_refuses_what_it_would_ignore() {
    let s = sample_vector();
    let input = [
        "--session-key",
        s["session_key"].as_str().unwrap(),
        "--iv",
        s["iv"].as_str().unwrap(),
        s["encrypted_data"].as_str().unwrap(),
    ];
    for extra in [
        &["--appid", "wx0000000000000000"][..],
        &["--appid=wx4f4bc4dec97d474b"],
        &["--max-age", "60"],
    ] {
        for args in [
            [&["diagnose"][..], &input, extra].concat(),
            [&["diagnose", "--sample"][..], extra].concat(),
        ] {
            let out = run(&args);
            assert_eq!(out.status.code(), Some(EX_USAGE), "{args:?}");
            let stderr = text(&out.stderr);
            assert!(
                stderr.starts_with("werun: diagnose takes no --"),
                "{stderr}"
            );
            assert!(stderr.contains("run werun steps"), "{stderr}");
            assert!(out.stdout.is_empty());
        }
    }
    // --skip-appid-check is what diagnose does anyway: accepted.
    let out = run(&[&["diagnose", "--skip-appid-check"][..], &input].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn one_day_is_singular() {
    let v = vectors();
    let one = v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| {
            x["expect"]["status"] == "OK"
                && x["api"] != "open_data"
                && x["expect"]["steps"]
                    .as_array()
                    .is_some_and(|s| s.len() == 1)
                && vector_args(x).is_some()
        })
        .expect("a vector with one entry");
    let args = vector_args(one).unwrap();
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let step = one["expect"]["steps"][0][1].as_u64().unwrap();
    assert!(
        text(&out.stdout).contains(&format!("\n1 day, {step} steps\n")),
        "{}",
        text(&out.stdout)
    );
}
