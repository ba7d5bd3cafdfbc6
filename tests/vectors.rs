//! The generated vectors (`tests/vectors/werun.json`): up to date, and every one passes through
//! every Rust entry point.

mod common;
#[path = "vectors/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::path::Path;

fn check_generated(name: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name);
    if std::env::var_os("WERUN_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "tests/vectors/{name} is stale: run `WERUN_BLESS=1 cargo test --test vectors` and commit it"
    );
}

#[test]
fn vector_file_matches_its_generator() {
    check_generated("werun.json", &generate::vectors_json());
}

#[test]
fn c_vector_header_matches_its_generator() {
    check_generated("werun_vectors.h", &generate::vectors_c_header());
}

#[test]
fn every_vector_passes_with_a_scratch_buffer() {
    for v in common::vectors() {
        assert_eq!(
            common::run(&v, false),
            common::Outcome::expected(&v),
            "{}",
            v["id"]
        );
    }
}

#[test]
fn every_vector_passes_in_place() {
    for v in common::vectors() {
        // In place there is no scratch buffer to be too small.
        if v["expect"]["status"] == "BUFFER_TOO_SMALL" {
            continue;
        }
        let mut expected = common::Outcome::expected(&v);
        if v["id"] == "scratch-exact" {
            expected.status = "OK".into();
        }
        assert_eq!(common::run(&v, true), expected, "{}", v["id"]);
    }
}

#[test]
fn every_vector_gets_its_diagnosis() {
    for v in common::vectors() {
        let expected = v["expect"]["diagnosis"].as_str().map(String::from);
        // Input errors the key/IV decoding does not see (data, scratch) fail diagnose too.
        assert_eq!(common::run_diagnose(&v), expected, "{}", v["id"]);
    }
}

#[test]
fn sample_is_the_first_vector() {
    let file = common::vectors_file();
    assert_eq!(file["sample"], file["vectors"][0]);
    assert_eq!(
        file["sample"]["expect"]["steps"].as_array().unwrap().len(),
        31
    );
}

#[test]
fn status_table_matches_the_error_codes() {
    use werun::ffi::{werun_status, werun_status_str};
    let unknown = message(werun_status_str(u32::MAX));
    for (name, code) in generate::STATUSES {
        // Every published status has its own message in the C ABI.
        assert_ne!(message(werun_status_str(code)), unknown, "{name}");
        match werun::Error::from_code(code) {
            Some(e) => {
                assert_eq!(common::status_name(Some(e)), name);
                assert_eq!(werun_status::from(e) as u32, code, "{name}");
            }
            None => assert!(
                ["OK", "NULL_ARGUMENT", "INTERNAL", "INVALID_ARGUMENT"].contains(&name),
                "{name}"
            ),
        }
    }
    for e in werun::Error::ALL {
        assert_eq!(werun::Error::from_code(e.code()), Some(e));
    }
}

/// The C string behind a `werun_status_str` pointer.
fn message(p: *const std::ffi::c_char) -> String {
    // SAFETY: werun_status_str returns a static NUL-terminated string for every value.
    unsafe { std::ffi::CStr::from_ptr(p) }
        .to_str()
        .unwrap()
        .to_string()
}

/// The C ABI over every vector, with and without a scratch buffer: the same outcome as the
/// vector file says, every output pre-filled with a pattern (see `common::run_c` for what is
/// checked on failure: in particular every step entry zeroed for statuses 2..=10, including
/// the key, IV, base64, length and scratch-size failures that come before decryption).
#[test]
fn every_vector_passes_through_the_c_abi() {
    let mut zeroed_before_decryption = 0;
    for v in common::vectors() {
        let expected = common::Outcome::expected(&v);
        assert_eq!(common::run_c(&v, false), expected, "{} (scratch)", v["id"]);
        if v["expect"]["diagnosis"].is_null() && v["api"] == "steps" {
            zeroed_before_decryption += 1;
        }
        if v["expect"]["status"] == "BUFFER_TOO_SMALL" {
            continue;
        }
        assert_eq!(common::run_c(&v, true), expected, "{} (in place)", v["id"]);
    }
    // Failures before decryption of every kind went through the zeroing check.
    assert!(zeroed_before_decryption >= 20, "{zeroed_before_decryption}");
}

#[test]
fn every_vector_gets_its_diagnosis_through_the_c_abi() {
    for v in common::vectors() {
        let expected = v["expect"]["diagnosis"].as_str().map(String::from);
        assert_eq!(common::run_c_diagnose(&v), expected, "{}", v["id"]);
    }
}
