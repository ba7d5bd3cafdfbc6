//! The JSON reader alone, against serde_json: `parse_werun` must accept exactly the documents
//! the reference accepts, with the same steps (in document order, up to the output's capacity),
//! the same count and the same watermark; `is_json` must agree with serde_json on syntax.
//!
//! Input: one byte of output capacity (0..=63), then the plaintext.
#![no_main]

mod common;

use common::{comparable, comparable_syntax, reference_doc, reference_is_json, APPID};
use libfuzzer_sys::fuzz_target;
use werun::__internals::{is_json, parse_werun};
use werun::StepInfo;

fuzz_target!(|data: &[u8]| {
    let Some((&cap, text)) = data.split_first() else {
        return;
    };
    let cap = usize::from(cap % 64);
    let sentinel = StepInfo {
        timestamp: 0x5a5a,
        step: 0xa5a5,
    };
    let mut out = vec![sentinel; cap];
    let got = parse_werun(text, &mut out, APPID.as_bytes());
    let json = is_json(text);

    if got.is_some() && comparable_syntax(text) {
        assert!(json, "parse_werun accepted text that is_json refuses");
    }
    if comparable_syntax(text) {
        assert_eq!(
            json,
            reference_is_json(text),
            "is_json differs from serde_json"
        );
    }
    if !comparable(text) {
        return;
    }
    let expected = reference_doc(text, true);
    match (&got, &expected) {
        (None, None) => {}
        (Some((count, watermark)), Some(doc)) => {
            let steps = doc.steps.as_ref().unwrap();
            assert_eq!(*count, steps.len(), "entry count");
            let written: Vec<(i64, u32)> = out[..cap.min(*count)]
                .iter()
                .map(|s| (s.timestamp, s.step))
                .collect();
            assert_eq!(&written[..], &steps[..cap.min(*count)], "steps");
            assert!(
                out[cap.min(*count)..].iter().all(|s| *s == sentinel),
                "wrote past count"
            );
            let expected_watermark = doc
                .watermark
                .as_ref()
                .map(|w| (w.timestamp, w.appid == APPID));
            assert_eq!(*watermark, expected_watermark, "watermark");
        }
        _ => panic!("werun {got:?} but reference {expected:?}"),
    }
});
