//! Base64 (repair and strict) against a straightforward reference decoder: `decode_base64`,
//! `decode_base64_in_place` and the 16-byte key/IV decoder `decode_block16` must each accept
//! exactly what the reference accepts, with the same bytes; a valid input longer than the output
//! must be reported with its true length.
//!
//! Input: a flags byte (bit 0 strict, bit 1 round trip, bits 2..=5 damage), a capacity byte, then
//! the payload. In round-trip mode the payload is encoded, damaged the way web frameworks do,
//! and repair mode must give the payload back.
#![no_main]

mod common;

use common::{b64, damage};
use libfuzzer_sys::fuzz_target;
use werun::__internals::{decode_base64, decode_base64_in_place, decode_block16};
use werun::Base64Mode;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The rules of the README, written the obvious way: `None` when the text is refused.
fn reference_decode(input: &[u8], strict: bool) -> Option<Vec<u8>> {
    let mut sextets = Vec::new();
    let mut padding = 0usize;
    let mut chars = input.iter().copied();
    while let Some(mut c) = chars.next() {
        if !strict && matches!(c, b'\r' | b'\n' | b'\t') {
            continue;
        }
        if !strict && c == b'%' {
            // A percent-encoded '+', '/' or '='; nothing else.
            c = match [chars.next()?, chars.next()?.to_ascii_uppercase()] {
                [b'2', b'B'] => b'+',
                [b'2', b'F'] => b'/',
                [b'3', b'D'] => b'=',
                _ => return None,
            };
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return None; // data after padding
        }
        let c = match (strict, c) {
            (false, b' ' | b'-') => b'+',
            (false, b'_') => b'/',
            (_, c) => c,
        };
        sextets.push(ALPHABET.iter().position(|&a| a == c)? as u32);
    }
    let needed = match sextets.len() % 4 {
        0 => 0,
        2 => 2,
        3 => 1,
        _ => return None,
    };
    if (strict && padding != needed) || padding > needed {
        return None;
    }
    let mut out = Vec::new();
    for group in sextets.chunks(4) {
        let acc = group.iter().fold(0u32, |acc, &v| (acc << 6) | v);
        match group.len() {
            4 => out.extend_from_slice(&acc.to_be_bytes()[1..]),
            3 if acc & 3 == 0 => out.extend_from_slice(&(acc >> 2).to_be_bytes()[2..]),
            2 if acc & 0xF == 0 => out.push((acc >> 4) as u8),
            _ => return None, // non-zero unused bits
        }
    }
    Some(out)
}

fn check(text: &[u8], strict: bool, cap_byte: u8) {
    let mode = if strict {
        Base64Mode::Strict
    } else {
        Base64Mode::Repair
    };
    let expected = reference_decode(text, strict);
    let full = werun::scratch_len(text.len());
    if let Some(e) = &expected {
        assert!(e.len() <= full, "scratch_len({}) < {}", text.len(), e.len());
    }
    let cap = if cap_byte & 0x80 != 0 {
        full.saturating_sub(usize::from(cap_byte & 7))
    } else {
        usize::from(cap_byte)
    };
    let mut out = vec![0xA5u8; cap];
    let got = decode_base64(text, &mut out, mode);
    match &expected {
        None => assert_eq!(got, Err(None), "accepted invalid base64"),
        Some(e) if e.len() > cap => assert_eq!(got, Err(Some(e.len())), "too-long report"),
        Some(e) => {
            assert_eq!(got, Ok(e.len()), "decoded length");
            assert_eq!(&out[..e.len()], &e[..], "decoded bytes");
        }
    }

    let mut buf = text.to_vec();
    let got = decode_base64_in_place(&mut buf, mode);
    match &expected {
        None => assert_eq!(got, Err(None), "in place: accepted invalid base64"),
        Some(e) => {
            assert_eq!(got, Ok(e.len()), "in place: decoded length");
            assert_eq!(&buf[..e.len()], &e[..], "in place: decoded bytes");
        }
    }

    let block = decode_block16(text, mode);
    // The key decoder reads a text with percent escapes up to 72 characters, 32 once they are
    // undone (24 characters, each encoded; room for whitespace): longer ones are refused. A '%'
    // without its two characters (the text `%`: regressions/base64/lone-percent-underflow) makes
    // 2 * escapes exceed the length; such a text is refused whatever its length.
    let escapes = text.iter().filter(|&&c| c == b'%').count();
    let undone = text.len().saturating_sub(2 * escapes);
    if !strict && escapes > 0 && (text.len() > 72 || undone > 32) {
        assert_eq!(block, None, "decode_block16 accepted a long escaped text");
        return;
    }
    match &expected {
        Some(e) if e.len() == 16 => assert_eq!(block.as_ref().map(|b| &b[..]), Some(&e[..])),
        _ => assert_eq!(block, None, "decode_block16 accepted a non-16-byte input"),
    }
}

fuzz_target!(|data: &[u8]| {
    let [flags, cap, payload @ ..] = data else {
        return;
    };
    let strict = flags & 1 != 0;
    if flags & 2 == 0 {
        check(payload, strict, *cap);
        return;
    }
    let how = (flags >> 2) & 0xF;
    let text = damage(&b64(payload), how);
    assert_eq!(
        reference_decode(text.as_bytes(), false).as_deref(),
        Some(payload),
        "reference round trip"
    );
    check(text.as_bytes(), false, *cap);
    check(text.as_bytes(), true, *cap);
    let mut buf = text.clone().into_bytes();
    let n = decode_base64_in_place(&mut buf, Base64Mode::Repair).expect("repaired text decodes");
    assert_eq!(&buf[..n], payload, "repair mode gives the payload back");
});
