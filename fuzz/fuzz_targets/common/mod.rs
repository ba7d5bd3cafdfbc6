//! Shared by the fuzz targets: an independent reference for the WeRun document (built on
//! serde_json), AES-128-CBC encryption, a plain base64 encoder, and the normalisation that keeps
//! inputs where werun and serde_json legitimately disagree out of the comparisons.
#![allow(dead_code)]

use std::fmt;

use aes::Aes128;
use cbc::cipher::{BlockModeEncrypt, InOutBuf, KeyIvInit};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// The fixed key and IV the targets encrypt with.
pub const KEY: [u8; 16] = *b"werun-fuzz-key!!";
pub const IV: [u8; 16] = *b"werun-fuzz-iv..!";
pub const APPID: &str = "wx4f4bc4dec97d474b";

/// The reference reading of a plaintext: `Some` when it is a valid document.
#[derive(Debug, Clone, PartialEq)]
pub struct RefDoc {
    /// `None` for open data, where `stepInfoList` is just another field.
    pub steps: Option<Vec<(i64, u32)>>,
    pub watermark: Option<RefWatermark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefWatermark {
    pub timestamp: i64,
    pub appid: String,
}

/// Duplicate fields that werun reads are refused (serde_json keeps the last one).
fn duplicate<E: de::Error>(name: &str) -> E {
    E::custom(format!("duplicate field {name}"))
}

struct DocVisitor {
    werun: bool,
}

impl<'de> Visitor<'de> for DocVisitor {
    type Value = RefDoc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RefDoc, A::Error> {
        let mut steps: Option<Vec<RefStep>> = None;
        let mut watermark: Option<RefWatermark> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "watermark" {
                if watermark.is_some() {
                    return Err(duplicate("watermark"));
                }
                watermark = Some(map.next_value()?);
            } else if self.werun && key == "stepInfoList" {
                if steps.is_some() {
                    return Err(duplicate("stepInfoList"));
                }
                steps = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let steps = if self.werun {
            let list = steps.ok_or_else(|| de::Error::missing_field("stepInfoList"))?;
            Some(list.into_iter().map(|s| (s.timestamp, s.step)).collect())
        } else {
            None
        };
        Ok(RefDoc { steps, watermark })
    }
}

struct RefStep {
    timestamp: i64,
    step: u32,
}

impl<'de> Deserialize<'de> for RefStep {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RefStep;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RefStep, A::Error> {
                let (mut timestamp, mut step) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "timestamp" if timestamp.is_some() => return Err(duplicate("timestamp")),
                        "timestamp" => timestamp = Some(map.next_value::<i64>()?),
                        "step" if step.is_some() => return Err(duplicate("step")),
                        "step" => step = Some(map.next_value::<u32>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RefStep {
                    timestamp: timestamp.ok_or_else(|| de::Error::missing_field("timestamp"))?,
                    step: step.ok_or_else(|| de::Error::missing_field("step"))?,
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RefWatermark {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RefWatermark;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a watermark object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RefWatermark, A::Error> {
                let (mut timestamp, mut appid) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "timestamp" if timestamp.is_some() => return Err(duplicate("timestamp")),
                        "timestamp" => timestamp = Some(map.next_value::<i64>()?),
                        "appid" if appid.is_some() => return Err(duplicate("appid")),
                        "appid" => appid = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RefWatermark {
                    timestamp: timestamp.ok_or_else(|| de::Error::missing_field("timestamp"))?,
                    appid: appid.ok_or_else(|| de::Error::missing_field("appid"))?,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses `text` as serde_json sees it (whole text UTF-8, one JSON value, nothing after it).
pub fn reference_doc(text: &[u8], werun: bool) -> Option<RefDoc> {
    let s = std::str::from_utf8(text).ok()?;
    let mut de = serde_json::Deserializer::from_str(s);
    let doc = de.deserialize_map(DocVisitor { werun }).ok()?;
    de.end().ok()?;
    Some(doc)
}

/// Whether `text` is one JSON value according to serde_json.
pub fn reference_is_json(text: &[u8]) -> bool {
    std::str::from_utf8(text).is_ok_and(|s| serde_json::from_str::<IgnoredAny>(s).is_ok())
}

/// Inputs on which werun and serde_json legitimately differ, so no comparison is made:
///
/// * nesting deeper than 100: werun limits the depth of a *skipped* value to 128 levels below
///   where skipping starts, serde_json limits the whole document to 128; the two limits count
///   differently, and neither is wrong;
/// * a `\uD800`..`\uDFFF` escape: RFC 8259's grammar allows lone surrogates and werun accepts
///   them (they only never compare equal to an expected key or appid), while serde_json refuses
///   them in any string it decodes (keys, the appid);
/// * `-0`: werun reads it as the integer 0, serde_json as the float -0.0 (so not an `i64`);
///   RFC 8259 leaves the meaning of numbers to implementations.
pub fn comparable(text: &[u8]) -> bool {
    max_depth(text) <= 100 && !has_surrogate_escape(text) && !contains(text, b"-0")
}

/// Like [`comparable`], for "is this JSON" only (surrogates and `-0` are syntax there).
pub fn comparable_syntax(text: &[u8]) -> bool {
    max_depth(text) <= 100
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn has_surrogate_escape(text: &[u8]) -> bool {
    text.windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && matches!(w[2], b'd' | b'D')
            && matches!(w[3], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
    })
}

/// Deepest `[`/`{` nesting outside strings (an over-estimate for invalid text, which is fine).
pub fn max_depth(text: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &c in text {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Strict PKCS#7 written the obvious way: the unpadded length.
pub fn reference_unpad(plain: &[u8]) -> Option<usize> {
    let &pad = plain.last()?;
    let n = usize::from(pad);
    if plain.len() % 16 != 0 || !(1..=16).contains(&n) || n > plain.len() {
        return None;
    }
    plain[plain.len() - n..]
        .iter()
        .all(|&b| b == pad)
        .then(|| plain.len() - n)
}

pub fn pkcs7(plain: &[u8]) -> Vec<u8> {
    let pad = 16 - plain.len() % 16;
    let mut v = plain.to_vec();
    v.extend(std::iter::repeat_n(pad as u8, pad));
    v
}

/// AES-128-CBC over whole blocks (`blocks.len()` a multiple of 16).
pub fn encrypt_blocks(key: &[u8; 16], iv: &[u8; 16], blocks: &[u8]) -> Vec<u8> {
    assert_eq!(blocks.len() % 16, 0);
    let mut buf = blocks.to_vec();
    let mut enc = cbc::Encryptor::<Aes128>::new(key.into(), iv.into());
    let (chunks, _) = InOutBuf::from(&mut buf[..]).into_chunks();
    enc.encrypt_blocks_inout(chunks);
    buf
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// RFC 4648 base64 with `=` padding.
pub fn b64(data: &[u8]) -> String {
    let mut s = String::new();
    for chunk in data.chunks(3) {
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Damages base64 text the way web frameworks do, as selected by the bits of `how`: `+` to space
/// (1), URL-safe alphabet (2), `=` dropped (4), CRLF every 64 characters and a tab (8). werun's
/// repair mode must undo every combination.
pub fn damage(text: &str, how: u8) -> String {
    let mut s = text.to_string();
    if how & 2 != 0 {
        s = s.replace('+', "-").replace('/', "_");
    }
    if how & 1 != 0 {
        s = s.replace('+', " ");
    }
    if how & 4 != 0 {
        s = s.trim_end_matches('=').to_string();
    }
    if how & 8 != 0 {
        let mut wrapped = String::from("\t");
        for (i, c) in s.chars().enumerate() {
            if i > 0 && i % 64 == 0 {
                wrapped.push_str("\r\n");
            }
            wrapped.push(c);
        }
        s = wrapped + "\n";
    }
    s
}
