//! The shape of WeChat open data: a JSON object with a `watermark`, and for WeRun a
//! `stepInfoList` of `{timestamp, step}` objects.

use crate::json::{JsonStr, Malformed, Parser, Result};
use crate::StepInfo;

/// `watermark` as found in the plaintext.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawWatermark<'a> {
    pub(crate) timestamp: i64,
    pub(crate) appid: JsonStr<'a>,
}

/// A WeRun document: how many entries `stepInfoList` holds (the first `out.len()` of them are
/// written to `out`) and its watermark, if any.
///
/// WeChat's own compact layout is read by [`compact::parse`]; any other text (whitespace, another
/// key order, escapes, ...) by the general strict reader, with the same result.
pub(crate) fn parse_werun<'a>(
    text: &'a [u8],
    out: &mut [StepInfo],
) -> Result<(usize, Option<RawWatermark<'a>>)> {
    // (Not on bare metal: the general reader alone is smaller.)
    if !crate::SIZE_FIRST {
        if let Some((total, watermark)) = compact::parse(text, out) {
            return Ok((total, Some(watermark)));
        }
    }
    parse_werun_general(text, out)
}

/// The fast reader of WeChat's own layout alone (`None` for any other text).
#[cfg(test)]
pub(crate) fn compact_parse<'a>(
    text: &'a [u8],
    out: &mut [StepInfo],
) -> Option<(usize, RawWatermark<'a>)> {
    compact::parse(text, out)
}

/// [`parse_werun`] by the general strict reader only.
pub(crate) fn parse_werun_general<'a>(
    text: &'a [u8],
    out: &mut [StepInfo],
) -> Result<(usize, Option<RawWatermark<'a>>)> {
    let mut total = 0usize;
    let watermark = parse_document(text, Some((out, &mut total)))?;
    Ok((total, watermark))
}

/// Any open-data document (an object, possibly with a `watermark`).
pub(crate) fn parse_open_data(text: &[u8]) -> Result<Option<RawWatermark<'_>>> {
    parse_document(text, None)
}

type StepSink<'o, 't> = (&'o mut [StepInfo], &'t mut usize);

fn parse_document<'a>(
    text: &'a [u8],
    mut steps: Option<StepSink<'_, '_>>,
) -> Result<Option<RawWatermark<'a>>> {
    let mut parser = Parser::new(text);
    let mut watermark = None;
    let mut seen_steps = false;
    parser.object(|key, p| {
        if key.equals(b"watermark") {
            once(&mut watermark, parse_watermark(p)?)
        } else if let Some((out, total)) = steps.as_mut().filter(|_| key.equals(b"stepInfoList")) {
            if seen_steps {
                return Err(Malformed);
            }
            seen_steps = true;
            p.array(|p| {
                let step = parse_step(p)?;
                if let Some(slot) = out.get_mut(**total) {
                    *slot = step;
                }
                **total = total.checked_add(1).ok_or(Malformed)?;
                Ok(())
            })
        } else {
            p.skip_value()
        }
    })?;
    parser.end()?;
    if steps.is_some() && !seen_steps {
        return Err(Malformed);
    }
    Ok(watermark)
}

/// Stores the value of a key that must appear at most once.
fn once<T>(slot: &mut Option<T>, value: T) -> Result<()> {
    if slot.is_some() {
        return Err(Malformed);
    }
    *slot = Some(value);
    Ok(())
}

fn parse_step(p: &mut Parser<'_>) -> Result<StepInfo> {
    let mut timestamp = None;
    let mut step = None;
    p.object(|key, p| {
        if key.equals(b"timestamp") {
            once(&mut timestamp, p.int()?)
        } else if key.equals(b"step") {
            once(&mut step, u32::try_from(p.int()?).map_err(|_| Malformed)?)
        } else {
            p.skip_value()
        }
    })?;
    Ok(StepInfo {
        timestamp: timestamp.ok_or(Malformed)?,
        step: step.ok_or(Malformed)?,
    })
}

fn parse_watermark<'a>(p: &mut Parser<'a>) -> Result<RawWatermark<'a>> {
    let mut timestamp = None;
    let mut appid = None;
    p.object(|key, p| {
        if key.equals(b"timestamp") {
            once(&mut timestamp, p.int()?)
        } else if key.equals(b"appid") {
            once(&mut appid, p.string()?)
        } else {
            p.skip_value()
        }
    })?;
    Ok(RawWatermark {
        timestamp: timestamp.ok_or(Malformed)?,
        appid: appid.ok_or(Malformed)?,
    })
}

/// A reader for exactly the layout WeChat sends, with no whitespace and the keys in its order:
/// `{"stepInfoList":[{"timestamp":D,"step":D},...],"watermark":{"timestamp":D,"appid":"S"}}`.
///
/// It accepts a strict subset of what the general reader accepts, and returns what the general
/// reader would return; on any deviation it returns `None` and the caller starts over with the
/// general reader. The literals are compared as whole slices and the integers are read 8 digits
/// at a time (SWAR): no per-byte dispatch.
pub(crate) mod compact {
    use super::RawWatermark;
    use crate::json::JsonStr;
    use crate::StepInfo;

    const FIRST_ENTRY: &[u8] = b"{\"stepInfoList\":[{\"timestamp\":";
    const EMPTY_LIST: &[u8] = b"{\"stepInfoList\":[],\"watermark\":{\"timestamp\":";
    const STEP_KEY: &[u8] = b",\"step\":";
    const NEXT_ENTRY: &[u8] = b"},{\"timestamp\":";
    const LAST_ENTRY: &[u8] = b"}],\"watermark\":{\"timestamp\":";
    const APPID_KEY: &[u8] = b",\"appid\":\"";
    const DOC_END: &[u8] = b"\"}}";

    /// Longest timestamp read here (fits `i64` with room to spare); longer ones fall back.
    const TIMESTAMP_DIGITS: usize = 15;
    /// Longest step count read here (fits `u32`); longer ones fall back.
    const STEP_DIGITS: usize = 9;

    const POW10: [u64; 8] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    /// The entry count (the first `out.len()` entries are written to `out`) and the watermark.
    pub(crate) fn parse<'a>(
        text: &'a [u8],
        out: &mut [StepInfo],
    ) -> Option<(usize, RawWatermark<'a>)> {
        let mut total = 0usize;
        let mut rest = match text.strip_prefix(FIRST_ENTRY) {
            Some(mut rest) => loop {
                // One entry: its numbers, the text after it and whether another entry follows.
                let (timestamp, step, after, next) = match usual_entry(rest) {
                    Some((timestamp, step, len)) => (timestamp, step, rest.get(len..)?, true),
                    None => {
                        let (timestamp, r) =
                            ten_digits(rest).or_else(|| uint(rest, TIMESTAMP_DIGITS))?;
                        let (step, r) = uint(r.strip_prefix(STEP_KEY)?, STEP_DIGITS)?;
                        match r.strip_prefix(NEXT_ENTRY) {
                            Some(r) => (timestamp, step, r, true),
                            None => (timestamp, step, r.strip_prefix(LAST_ENTRY)?, false),
                        }
                    }
                };
                if let Some(slot) = out.get_mut(total) {
                    *slot = StepInfo {
                        timestamp: i64::try_from(timestamp).ok()?,
                        step: u32::try_from(step).ok()?,
                    };
                }
                total = total.checked_add(1)?;
                if !next {
                    break after;
                }
                rest = after;
            },
            None => text.strip_prefix(EMPTY_LIST)?,
        };
        let (timestamp, r) = uint(rest, TIMESTAMP_DIGITS)?;
        rest = r.strip_prefix(APPID_KEY)?;
        // The appid runs to the first byte that is not printable ASCII (escapes and the closing
        // quote included): the scan stops there, and never reads past a garbled byte.
        let len = rest
            .iter()
            .position(|&c| !(0x20..0x7F).contains(&c) || c == b'\\' || c == b'"')?;
        let (appid, end) = rest.split_at_checked(len)?;
        if end != DOC_END {
            return None;
        }
        let watermark = RawWatermark {
            timestamp: i64::try_from(timestamp).ok()?,
            appid: JsonStr::plain(appid),
        };
        Some((total, watermark))
    }

    /// Bytes [`usual_entry`] reads at once.
    const WINDOW: usize = 48;

    /// An entry in the form nearly all of WeChat's take, followed by another entry, read from a
    /// window of [`WINDOW`] bytes with a few 8-byte loads: `text` starts with a 10-digit
    /// timestamp (no leading zero), [`STEP_KEY`], a step count of 1 to 7 digits (no leading zero
    /// unless it is `0`) and [`NEXT_ENTRY`]. Returns the timestamp, the step count and the bytes
    /// to skip to the next entry's timestamp. `None` for anything else (the last entry, longer or
    /// shorter numbers, a text ending within the window, any deviation), which the caller then
    /// reads with [`ten_digits`] and [`uint`]: what this accepts, they accept with the same result.
    #[inline(always)]
    fn usual_entry(text: &[u8]) -> Option<(u64, u64, usize)> {
        let window = text.first_chunk::<WINDOW>()?;
        let word = |at: usize| {
            window
                .get(at..)
                .and_then(<[u8]>::first_chunk::<8>)
                .map(|w| u64::from_le_bytes(*w))
        };
        // The timestamp: 8 digits, then 2 (read as the last 2 of the word at 2), then the key.
        let high = all_digits8(word(0)?)?;
        let low = word(2)? >> 48 ^ 0x3030;
        if low & 0xF0F0 != 0 || (low & 0x0F0F).wrapping_add(0x7676) & 0x8080 != 0 {
            return None;
        }
        if window[0] == b'0' || word(10)? != STEP_KEY_WORD {
            return None;
        }
        let timestamp = high * 100 + (low & 0xFF) * 10 + (low >> 8);
        // The step count: 1 to 7 digits, then the next entry.
        let (step, n) = digits8(window.get(18..)?)?;
        if n == 0 || n == 8 || (n > 1 && window[18] == b'0') {
            return None;
        }
        let after = 18 + n;
        if word(after)? != NEXT_HEAD || word(after + NEXT_ENTRY.len() - 8)? != NEXT_TAIL {
            return None;
        }
        Some((timestamp, step, after + NEXT_ENTRY.len()))
    }

    /// [`STEP_KEY`] (8 bytes) as one little-endian word.
    const STEP_KEY_WORD: u64 = word_at(STEP_KEY, 0);
    /// The first and last 8 bytes of [`NEXT_ENTRY`] (15 bytes: the two overlap by one).
    const NEXT_HEAD: u64 = word_at(NEXT_ENTRY, 0);
    const NEXT_TAIL: u64 = word_at(NEXT_ENTRY, NEXT_ENTRY.len() - 8);
    const _: () = assert!(STEP_KEY.len() == 8 && NEXT_ENTRY.len() >= 8 && NEXT_ENTRY.len() <= 16);

    /// The 8 bytes of `literal` from `at` as a little-endian word (for the constants above; the
    /// assertion above keeps them within their literals).
    const fn word_at(literal: &[u8], at: usize) -> u64 {
        match literal.split_at_checked(at) {
            Some((_, rest)) => match rest.first_chunk::<8>() {
                Some(word) => u64::from_le_bytes(*word),
                None => 0,
            },
            None => 0,
        }
    }

    /// The value of 8 ASCII digits (the first the most significant), `None` unless all 8 bytes
    /// are digits.
    #[inline(always)]
    fn all_digits8(word: u64) -> Option<u64> {
        let t = word ^ 0x3030_3030_3030_3030;
        // As in `digits8`: the high bit of a byte is set when it is above 9.
        if (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080 != 0 {
            return None;
        }
        Some(value8(t))
    }

    /// The value of 8 decimal digits, one per byte (0..=9, the first byte the most significant;
    /// zero bytes act as leading zeros): pairs, then quads, then all 8.
    #[inline(always)]
    pub(crate) fn value8(t: u64) -> u64 {
        let d = t.wrapping_mul(10).wrapping_add(t >> 8) & 0x00FF_00FF_00FF_00FF;
        let d = d.wrapping_mul(100).wrapping_add(d >> 16) & 0x0000_FFFF_0000_FFFF;
        d.wrapping_mul(10_000).wrapping_add(d >> 32) & 0xFFFF_FFFF
    }

    /// A non-negative integer in JSON's grammar (no sign, no leading zero) of 1 to `max_digits`
    /// digits (at most 15), and the text after it. `None` for anything else, including a number
    /// that is too close to the end of the text to be read 8 bytes at a time.
    #[inline(always)]
    fn uint(text: &[u8], max_digits: usize) -> Option<(u64, &[u8])> {
        let (high, n) = digits8(text)?;
        let (value, len) = if n < 8 {
            (high, n)
        } else {
            let (low, m) = digits8(text.get(8..)?)?;
            (high.wrapping_mul(*POW10.get(m)?).wrapping_add(low), 8 + m)
        };
        // A leading zero is only allowed in "0" itself.
        if len == 0 || len > max_digits || (len > 1 && text.first() == Some(&b'0')) {
            return None;
        }
        Some((value, text.get(len..)?))
    }

    /// Exactly ten digits, the length of every timestamp from 2001 to 2286: eight read at once,
    /// two one by one. `None` sends the number to [`uint`].
    #[inline(always)]
    fn ten_digits(text: &[u8]) -> Option<(u64, &[u8])> {
        let (high, n) = digits8(text)?;
        let [d8, d9, after] = *text.get(8..11)? else {
            return None;
        };
        let (d8, d9) = (d8.wrapping_sub(b'0'), d9.wrapping_sub(b'0'));
        if n != 8 || d8 > 9 || d9 > 9 || after.is_ascii_digit() || text.first() == Some(&b'0') {
            return None;
        }
        let value = high * 100 + u64::from(d8) * 10 + u64::from(d9);
        Some((value, text.get(10..)?))
    }

    /// How many of the first 8 bytes of `text` are leading ASCII digits (0..=8), and their value.
    #[inline(always)]
    pub(crate) fn digits8(text: &[u8]) -> Option<(u64, usize)> {
        let word = u64::from_le_bytes(text.get(..8)?.try_into().ok()?);
        // Digits become 0..=9; every other byte becomes 10..=255.
        let t = word ^ 0x3030_3030_3030_3030;
        // The high bit of a byte is set when it is above 9 (a carry out of a byte above 0x89 can
        // only mark a later byte, and only the first non-digit matters).
        let non_digit = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
        let n = (non_digit.trailing_zeros() / 8) as usize;
        // Keep the n digits, moved to the top so that the zero bytes below act as leading zeros.
        let shift = 8 * (8 - n as u32);
        Some((value8(t.checked_shl(shift).unwrap_or(0)), n))
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        extern crate std;
        use std::string::ToString;

        #[test]
        fn digits8_reads_every_length() {
            for n in 0..=8usize {
                let digits = &b"98765432"[..n];
                let mut text = [b','; 8];
                text[..n].copy_from_slice(digits);
                let want = core::str::from_utf8(digits).unwrap().parse().unwrap_or(0);
                assert_eq!(digits8(&text), Some((want, n)), "{n}");
            }
            assert_eq!(digits8(b"0123456"), None);
            assert_eq!(digits8(b"12:/90ab"), Some((12, 2)));
            assert_eq!(digits8(b"\xb1\x39\x39\x39\x39\x39\x39\x39"), Some((0, 0)));
        }

        #[test]
        fn ten_digits_reads_ten_digits_only() {
            assert_eq!(
                ten_digits(b"1717171200,\"s").map(|x| x.0),
                Some(1_717_171_200)
            );
            assert_eq!(ten_digits(b"9999999999}").map(|x| x.0), Some(9_999_999_999));
            assert_eq!(ten_digits(b"17171712001,").map(|x| x.0), None);
            assert_eq!(ten_digits(b"171717120,\"s"), None);
            assert_eq!(ten_digits(b"0717171200,\"s"), None);
            assert_eq!(ten_digits(b"17171712a0,\"s"), None);
            assert_eq!(ten_digits(b"1717171200"), None); // too near the end
        }

        /// `usual_entry` reads exactly its form, with the values `ten_digits` and `uint` read,
        /// and declines every deviation (each digit position, both neighbours of the digit
        /// range, leading zeros, lengths, both literals).
        #[test]
        fn usual_entry_reads_its_form_only() {
            let entry = |t: &str, s: &str, next: &str| {
                let mut e = std::format!("{t},\"step\":{s}{next}");
                e.push_str(&"9".repeat(40));
                e
            };
            let next = "},{\"timestamp\":";
            let mut seed = 0x9E37_79B9_7F4A_7C15u64;
            for _ in 0..2000 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let t = 1_000_000_000 + (seed >> 20) % 9_000_000_000;
                let digits = 1 + (seed >> 8) % 7;
                let s = (seed >> 40) % 10u64.pow(digits as u32);
                let e = entry(&t.to_string(), &s.to_string(), next);
                let len = 10 + STEP_KEY.len() + s.to_string().len() + next.len();
                assert_eq!(usual_entry(e.as_bytes()), Some((t, s, len)), "{e}");
                // The general readers agree.
                let (t2, r) = ten_digits(e.as_bytes()).unwrap();
                let (s2, _) = uint(r.strip_prefix(STEP_KEY).unwrap(), STEP_DIGITS).unwrap();
                assert_eq!((t2, s2), (t, s));
            }
            let good = entry("1717171234", "6311", next);
            assert_eq!(
                usual_entry(good.as_bytes()),
                Some((1_717_171_234, 6311, 37))
            );
            for at in 0..10 {
                for bad in [b'/', b':', b'a', b'-', 0xB0] {
                    let mut e = good.clone().into_bytes();
                    e[at] = bad;
                    assert_eq!(usual_entry(&e), None, "{at} {bad}");
                }
            }
            for (t, s, n) in [
                ("0717171234", "6311", next),
                ("171717123", "6311", next),
                ("17171712345", "6311", next),
                ("1717171234", "06311", next),
                ("1717171234", "", next),
                ("1717171234", "12345678", next),
                ("1717171234", "6311", "}],\"watermark\":{\"timestamp\":"),
                ("1717171234", "6311", "},{\"timestamq\":"),
                ("1717171234", "6311", "}, {\"timestamp\":"),
                ("1717171234", "6311", "},[\"timestamp\":"),
                ("1717171234", "6311", "].{\"timestamp\":"),
            ] {
                assert_eq!(usual_entry(entry(t, s, n).as_bytes()), None, "{t} {s} {n}");
            }
            assert_eq!(
                usual_entry(entry("1717171234", "0", next).as_bytes()).map(|e| e.1),
                Some(0)
            );
            assert_eq!(usual_entry(entry("1717171234", ":", next).as_bytes()), None);
            let wrong_key = good.replace("\"step\"", "\"stap\"");
            assert_eq!(usual_entry(wrong_key.as_bytes()), None);
            assert_eq!(usual_entry(&good.as_bytes()[..WINDOW - 1]), None);
        }

        #[test]
        fn uint_follows_the_json_grammar() {
            let u = |t: &'static [u8]| uint(t, 15).map(|(v, rest)| (v, rest.len()));
            assert_eq!(u(b"0,\"step\":"), Some((0, 8)));
            assert_eq!(u(b"1717171200,\"step\":"), Some((1_717_171_200, 8)));
            assert_eq!(u(b"123456789012345}}"), Some((123_456_789_012_345, 2)));
            assert_eq!(u(b"1234567890123456}}"), None);
            assert_eq!(u(b"01,\"step\":"), None);
            assert_eq!(u(b"-1,\"step\":"), None);
            assert_eq!(u(b"12345678"), None);
            assert_eq!(uint(b"1234567890}]}", 9), None);
            assert_eq!(uint(b"123456789}]}", 9), None); // too near the end
            assert_eq!(
                uint(b"123456789},{\"tim", 9).map(|x| x.0),
                Some(123_456_789)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::string::{String, ToString};
    use std::vec::Vec;

    extern crate std;

    /// A JSON value as `serde_json` reads it, keeping every key of an object in order
    /// (duplicates included), so that the reference below can apply werun's rule on them.
    enum Node {
        Object(Vec<(String, Node)>),
        Array(Vec<Node>),
        Int(Option<i64>),
        Str(String),
        Other,
    }

    impl<'de> serde::Deserialize<'de> for Node {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Node;
                fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    f.write_str("JSON")
                }
                fn visit_i64<E>(self, v: i64) -> core::result::Result<Node, E> {
                    Ok(Node::Int(Some(v)))
                }
                fn visit_u64<E>(self, v: u64) -> core::result::Result<Node, E> {
                    Ok(Node::Int(i64::try_from(v).ok()))
                }
                fn visit_f64<E>(self, _: f64) -> core::result::Result<Node, E> {
                    Ok(Node::Other)
                }
                fn visit_bool<E>(self, _: bool) -> core::result::Result<Node, E> {
                    Ok(Node::Other)
                }
                fn visit_unit<E>(self) -> core::result::Result<Node, E> {
                    Ok(Node::Other)
                }
                fn visit_str<E>(self, v: &str) -> core::result::Result<Node, E> {
                    Ok(Node::Str(v.to_string()))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut a: A,
                ) -> core::result::Result<Node, A::Error> {
                    let mut v = Vec::new();
                    while let Some(n) = a.next_element()? {
                        v.push(n);
                    }
                    Ok(Node::Array(v))
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut a: A,
                ) -> core::result::Result<Node, A::Error> {
                    let mut v = Vec::new();
                    while let Some((k, n)) = a.next_entry::<String, Node>()? {
                        v.push((k, n));
                    }
                    Ok(Node::Object(v))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// The one value of `key` in an object: `Err` when it appears twice, `Ok(None)` when never.
    fn field<'n>(
        fields: &'n [(String, Node)],
        key: &str,
    ) -> core::result::Result<Option<&'n Node>, ()> {
        let mut found = fields.iter().filter(|(k, _)| k == key).map(|(_, n)| n);
        let first = found.next();
        if found.next().is_some() {
            return Err(());
        }
        Ok(first)
    }

    /// What a WeRun document holds, read by `serde_json` and the rules werun documents (an
    /// object with exactly one `stepInfoList` of `{timestamp: i64, step: u32}` objects and at
    /// most one `watermark` `{timestamp: i64, appid: string}`; fields it reads appear once; other
    /// fields are ignored): the independent reference for the general reader.
    type Reference = (Vec<(i64, u32)>, Option<(i64, String)>);

    fn reference(text: &[u8]) -> Option<Reference> {
        let Node::Object(root) = serde_json::from_slice::<Node>(text).ok()? else {
            return None;
        };
        let int = |fields: &[(String, Node)], key: &str| match field(fields, key) {
            Ok(Some(Node::Int(Some(v)))) => Some(*v),
            _ => None,
        };
        let Ok(Some(Node::Array(list))) = field(&root, "stepInfoList") else {
            return None;
        };
        let mut steps = Vec::new();
        for entry in list {
            let Node::Object(entry) = entry else {
                return None;
            };
            let step = u32::try_from(int(entry, "step")?).ok()?;
            steps.push((int(entry, "timestamp")?, step));
        }
        let watermark = match field(&root, "watermark").ok()? {
            None => None,
            Some(Node::Object(w)) => match field(w, "appid").ok()? {
                Some(Node::Str(appid)) => Some((int(w, "timestamp")?, appid.clone())),
                _ => return None,
            },
            Some(_) => return None,
        };
        Some((steps, watermark))
    }

    /// The general reader returns what the independent reference (`serde_json`) reads, and the
    /// fast path either declines or returns exactly the same.
    fn agree(text: &[u8], capacity: usize) -> bool {
        let mut fast_out = [StepInfo::default(); 40];
        let mut general_out = [StepInfo::default(); 40];
        let cap = capacity.min(40);
        let general = parse_werun_general(text, &mut general_out[..cap]);
        let expected = reference(text);
        let general_right = match (&general, &expected) {
            (Ok((count, watermark)), Some((steps, expected_watermark))) => {
                *count == steps.len()
                    && general_out[..cap.min(*count)]
                        .iter()
                        .zip(steps)
                        .all(|(s, &(t, n))| s.timestamp == t && s.step == n)
                    && match (watermark, expected_watermark) {
                        (Some(w), Some((t, appid))) => {
                            w.timestamp == *t && w.appid.equals(appid.as_bytes())
                        }
                        (None, None) => true,
                        _ => false,
                    }
            }
            (Err(_), None) => true,
            _ => false,
        };
        if !general_right || !oblivious_agrees(text, cap, &general, &general_out) {
            return false;
        }
        let Some((count, watermark)) = compact::parse(text, &mut fast_out[..cap]) else {
            return true; // declined: parse_werun is then the general reader, checked above
        };
        let Ok((general_count, Some(general_watermark))) = general else {
            return false;
        };
        count == general_count
            && fast_out[..cap.min(count)] == general_out[..cap.min(count)]
            && watermark.timestamp == general_watermark.timestamp
            && general_watermark.appid.equals(watermark.appid.raw())
            && watermark.appid.raw() == general_watermark.appid.raw()
    }

    /// The oblivious reader (both forms, at every message length the buffer can have behind a
    /// padding: the bytes after the message are ignored) accepts what the strict reader accepts,
    /// and its extracting form returns the same entries and watermark; as open data, it accepts
    /// what `parse_open_data` accepts.
    fn oblivious_agrees(
        text: &[u8],
        cap: usize,
        general: &Result<(usize, Option<RawWatermark<'_>>)>,
        general_out: &[StepInfo],
    ) -> bool {
        let mut buf = text.to_vec();
        buf.extend_from_slice(b"\x10\x03 }\"x");
        let check = crate::oblivious::scan::<false>(&buf, text.len(), true, &mut []);
        if check.valid != general.is_ok() {
            return false;
        }
        let mut out = [StepInfo {
            timestamp: -7,
            step: 7,
        }; 40];
        let read = crate::oblivious::scan::<true>(&buf, text.len(), true, &mut out[..cap]);
        if read.valid != general.is_ok() {
            return false;
        }
        if let Ok((count, watermark)) = general {
            let n = cap.min(*count);
            let same_watermark = match (watermark, read.watermark) {
                (None, None) => true,
                (Some(w), Some((t, s, e, esc))) => {
                    let appid = JsonStr::new(&buf[s..e], esc);
                    w.timestamp == t && appid.raw() == w.appid.raw()
                }
                _ => false,
            };
            if read.count != *count || out[..n] != general_out[..n] || !same_watermark {
                return false;
            }
        }
        let open = crate::oblivious::scan::<false>(&buf, text.len(), false, &mut []);
        open.valid == parse_open_data(text).is_ok() && layout_check_agrees(text, general)
    }

    /// What the oblivious check of WeChat's layout accepts, the fast reader reads, with the same
    /// result as the strict reader and the expected appid.
    fn layout_check_agrees(
        text: &[u8],
        general: &Result<(usize, Option<RawWatermark<'_>>)>,
    ) -> bool {
        let appid = b"wx4f4bc4dec97d474b";
        let pad = 16 - text.len() % 16;
        let mut buf = text.to_vec();
        buf.extend(core::iter::repeat_n(pad as u8, pad));
        let mut heads = crate::compact_ct::Heads::new();
        if !crate::compact_ct::accepts(&buf, text.len(), true, appid, &mut heads) {
            return true;
        }
        let mut out = [StepInfo::default(); 40];
        let Some((count, watermark)) = compact::parse(text, &mut out) else {
            return false;
        };
        let mut read_out = [StepInfo::default(); 40];
        let Some((read_count, read_watermark)) =
            crate::compact_ct::read(&buf, text.len(), appid, &heads, &mut read_out)
        else {
            return false;
        };
        read_count == count
            && read_out == out
            && read_watermark.timestamp == watermark.timestamp
            && read_watermark.appid.equals(appid)
            && matches!(general, Ok((c, Some(w))) if *c == count
                && w.appid.equals(appid) && w.timestamp == watermark.timestamp)
    }

    fn document(entries: &[(String, String)], timestamp: &str, appid: &str) -> String {
        let list: Vec<String> = entries
            .iter()
            .map(|(t, s)| ["{\"timestamp\":", t, ",\"step\":", s, "}"].concat())
            .collect();
        [
            "{\"stepInfoList\":[",
            &list.join(","),
            "],\"watermark\":{\"timestamp\":",
            timestamp,
            ",\"appid\":\"",
            appid,
            "\"}}",
        ]
        .concat()
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => (1_500_000_000i64..1_800_000_000).prop_map(|n| n.to_string()),
            4 => any::<u32>().prop_map(|n| n.to_string()),
            2 => (0u32..100_000).prop_map(|n| n.to_string()),
            1 => "[0-9]{1,22}",
            1 => "0[0-9]{1,3}",
            1 => "-[0-9]{1,12}",
            1 => "[0-9]{1,4}(\\.[0-9]|[eE][+-]?[0-9])",
            1 => any::<u64>().prop_map(|n| n.to_string()),
            1 => any::<i64>().prop_map(|n| n.to_string()),
        ]
    }

    /// Numbers as WeChat writes them (10-digit timestamps, short step counts), now and then
    /// another: documents that the fast path reads nearly to the end.
    fn likely_number(short: bool) -> impl Strategy<Value = String> {
        let usual = if short {
            (0u32..10_000_000).prop_map(|n| n.to_string()).boxed()
        } else {
            (1_000_000_000u64..10_000_000_000)
                .prop_map(|n| n.to_string())
                .boxed()
        };
        prop_oneof![30 => usual, 1 => number()]
    }

    fn wechat_like_document() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec((likely_number(false), likely_number(true)), 0..40),
            likely_number(false),
        )
            .prop_map(|(entries, t)| document(&entries, &t, "wx4f4bc4dec97d474b"))
    }

    fn werun_document() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec((number(), number()), 0..40),
            number(),
            prop_oneof![4 => Just("wx4f4bc4dec97d474b".to_string()), 1 => "[ -~]{0,24}", 1 => "\\PC{0,6}"],
        )
            .prop_map(|(entries, t, appid)| document(&entries, &t, &appid))
    }

    /// Small edits that WeChat never makes but a general document may contain.
    fn perturbed() -> impl Strategy<Value = Vec<u8>> {
        let edit = (
            any::<prop::sample::Index>(),
            0u8..4,
            prop::sample::select(&b" \t\n\\\"',:{}[]0-1e.xu\x00\x7f\x80\xe4"[..]),
        );
        (werun_document(), proptest::collection::vec(edit, 1..4)).prop_map(|(doc, edits)| {
            let mut doc = doc.into_bytes();
            for (at, kind, byte) in edits {
                let i = at.index(doc.len() + 1);
                match kind {
                    0 => doc.insert(i, byte),
                    1 if i < doc.len() => {
                        doc.remove(i);
                    }
                    2 if i < doc.len() => doc[i] = byte,
                    _ => doc.truncate(i),
                }
            }
            doc
        })
    }

    /// `n` proptest cases, or `WERUN_PROPTEST_CASES` (`make mutants` lowers it: each mutant runs
    /// the whole suite).
    fn cases(n: u32) -> u32 {
        std::env::var("WERUN_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(n)
    }

    /// A generated document with one field that werun reads given twice (unchanged when it has
    /// no such field: an entry-level duplicate needs an entry), and whether it was changed.
    fn duplicated() -> impl Strategy<Value = (String, bool)> {
        (werun_document(), 0usize..6).prop_map(|(doc, kind)| {
            let body = &doc[..doc.len() - 1];
            let dup = match kind {
                0 => std::format!("{body},\"watermark\":{{\"timestamp\":1,\"appid\":\"wx\"}}}}"),
                1 => std::format!("{body},\"stepInfoList\":[]}}"),
                2 => doc.replacen("\"appid\":\"", "\"appid\":\"wx0\",\"appid\":\"", 1),
                3 => doc.replacen(",\"appid\"", ",\"timestamp\":7,\"appid\"", 1),
                4 => doc.replacen("\"step\":", "\"step\":1,\"step\":", 1),
                _ => doc.replacen("{\"timestamp\":", "{\"timestamp\":1,\"timestamp\":", 1),
            };
            let changed = dup != doc;
            (dup, changed)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(1024)))]

        /// Fields werun reads may appear once: a second one is refused by both paths.
        #[test]
        fn duplicate_fields_are_refused((doc, changed) in duplicated(), cap in 0usize..40) {
            prop_assert!(agree(doc.as_bytes(), cap));
            let mut out = [StepInfo::default(); 40];
            let result = parse_werun(doc.as_bytes(), &mut out[..cap]);
            // (Generated numbers may be invalid anyway: only a changed document must fail.)
            prop_assert!(result.is_err() || !changed, "{}", doc);
        }

        #[test]
        fn fast_path_agrees_on_generated_documents(doc in werun_document(), cap in 0usize..40) {
            prop_assert!(agree(doc.as_bytes(), cap));
        }

        #[test]
        fn fast_path_agrees_on_wechat_like_documents(doc in wechat_like_document(), cap in 0usize..40) {
            prop_assert!(agree(doc.as_bytes(), cap));
        }

        #[test]
        fn fast_path_agrees_on_perturbed_documents(doc in perturbed(), cap in 0usize..40) {
            prop_assert!(agree(&doc, cap));
        }
    }

    #[test]
    fn fast_path_reads_wechat_layout() {
        let doc = document(
            &[
                ("1717171200".into(), "6311".into()),
                ("1717257600".into(), "0".into()),
            ],
            "1717300000",
            "wx4f4bc4dec97d474b",
        );
        let mut out = [StepInfo::default(); 2];
        let (count, w) = compact::parse(doc.as_bytes(), &mut out).unwrap();
        assert_eq!(count, 2);
        assert_eq!(out[0].step, 6311);
        assert_eq!(out[1].timestamp, 1_717_257_600);
        assert_eq!(w.timestamp, 1_717_300_000);
        assert!(w.appid.equals(b"wx4f4bc4dec97d474b"));
        assert!(agree(doc.as_bytes(), 2));
        assert!(agree(doc.as_bytes(), 1));
        let empty = document(&[], "1", "wx");
        assert_eq!(
            compact::parse(empty.as_bytes(), &mut out).map(|r| r.0),
            Some(0)
        );
        for other in [
            doc.replace(":", ": "),
            doc.replace("wx4f", "wx\\u0034f"),
            doc.clone() + " ",
            doc.replace("6311", "06311"),
        ] {
            assert!(
                compact::parse(other.as_bytes(), &mut out).is_none(),
                "{other}"
            );
            assert!(agree(other.as_bytes(), 2), "{other}");
        }
    }

    /// Every plaintext behind the test vectors reads the same on both paths.
    #[test]
    fn fast_path_agrees_on_the_vectors() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../tests/vectors/werun.json")).unwrap();
        let mut fast_taken = 0;
        let mut layout_taken = 0;
        for vector in v["vectors"].as_array().unwrap() {
            let field = |name: &str| vector[name].as_str().unwrap_or("").as_bytes();
            let mode = crate::Base64Mode::Repair;
            let (Ok(key), Ok(iv)) = (
                crate::SessionKey::from_base64(field("session_key"), mode),
                crate::Iv::from_base64(field("iv"), mode),
            ) else {
                continue;
            };
            let mut buf = [0u8; 4096];
            let Ok(len) = crate::base64::decode_public(field("encrypted_data"), &mut buf, mode)
            else {
                continue;
            };
            if len == 0 || len % 16 != 0 {
                continue;
            }
            let Some(plain) = crate::werun::decrypt(&key, &iv, &mut buf[..len]) else {
                continue;
            };
            let text = &buf[..plain];
            fast_taken +=
                usize::from(compact::parse(text, &mut [StepInfo::default(); 40]).is_some());
            let appid = vector["appid"].as_str().unwrap_or("").as_bytes();
            layout_taken += usize::from(crate::compact_ct::accepts(
                &buf[..len],
                plain,
                true,
                appid,
                &mut crate::compact_ct::Heads::new(),
            ));
            for cap in [0, 1, 7, 31, 32, 40] {
                assert!(agree(text, cap), "{}", vector["id"]);
            }
        }
        assert!(fast_taken > 10, "{fast_taken}");
        assert!(layout_taken > 10, "{layout_taken}");
    }
}
