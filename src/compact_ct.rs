//! The oblivious check of WeChat's own layout, for hosted builds: decides whether a decrypted
//! buffer holds exactly
//!
//! ```text
//! {"stepInfoList":[E,E,...],"watermark":{"timestamp":T,"appid":"<your appid>"}}
//! E = {"timestamp":T,"step":S}    T: 10 digits, no leading zero    S: 1 to 7 digits
//! ```
//!
//! (what WeChat sends), with the same instructions and memory accesses whatever the bytes are,
//! and about ten times faster than the general oblivious pass ([`crate::oblivious`]). When it
//! says yes, the document is one the fast reader (`payload::compact`) reads, with your appid;
//! when it says no, the caller runs the general pass, so a failed call always costs both.
//!
//! How: every byte is classified into bit masks, 64 bytes per word (SSE2 on x86-64, 16 bytes per
//! instruction; a portable bit-by-bit form elsewhere), and the layout is checked with shifts,
//! ANDs and one addition per word, never with a branch or an address that depends on the data:
//! * `HE`, the entries' heads `{"timestamp":T,"step":` (31 bytes), as the AND of 23 shifted
//!   masks, marked at their last byte;
//! * after each head a digit run of 1 to 7 (no leading zero) ends in `}` (found by adding the
//!   run's first bit to the digit mask: the carry stops after the run), followed by `,` and the
//!   next head, or by the end of the list;
//! * the list starts at byte 17 after `{"stepInfoList":[` and ends where the suffix
//!   `],"watermark":{...}}` starts, which the padding (secret when the call fails) places: the
//!   last 16 + suffix bytes are shifted into place by a branch-free shifter and compared whole.
//!
//! Starting at byte 17, each head's run, `}` and `,` lead to the next head, so the chain of
//! entries covers the list exactly; no other head can stand inside it (a head starts with `{`,
//! which appears nowhere else in an entry), nor in the suffix (the appid has no `"`).

use crate::StepInfo;

const PREFIX: &[u8; 17] = b"{\"stepInfoList\":[";
const SUFFIX_HEAD: &[u8] = b"],\"watermark\":{\"timestamp\":";
const APPID_KEY: &[u8] = b",\"appid\":\"";
const SUFFIX_END: &[u8] = b"\"}}";
/// Longest buffer this check handles (64-byte words of head marks kept for the reader): 2,560
/// bytes, twice a real 31-entry payload; longer ones take the general pass.
const MAX_WORDS: usize = 40;

/// Where the entries' heads end (bit i of word w: byte 64w + i), as the check found them, for
/// [`read`].
#[derive(Clone, Copy)]
pub(crate) struct Heads([u64; MAX_WORDS]);

impl Heads {
    pub(crate) const fn new() -> Self {
        Heads([0; MAX_WORDS])
    }
}

/// Longest appid this check handles (WeChat's are 18 bytes); longer ones take the general pass.
const MAX_APPID: usize = 32;
/// Suffix bytes besides the appid: the head, 10 digits, the appid key and the end.
const SUFFIX_FIXED: usize = SUFFIX_HEAD.len() + 10 + APPID_KEY.len() + SUFFIX_END.len();
/// Words of the suffix window (the suffix and the 15 bytes the padding can move it by).
const WINDOW_WORDS: usize = (SUFFIX_FIXED + MAX_APPID + 15).div_ceil(8) + 1;

/// The classes of 64 bytes, one bit per byte (bit i: byte i).
#[derive(Clone, Copy, Default)]
struct Classes {
    lbrace: u64,
    rbrace: u64,
    quote: u64,
    colon: u64,
    comma: u64,
    t: u64,
    i: u64,
    m: u64,
    e: u64,
    s: u64,
    a: u64,
    p: u64,
    digit: u64,
    zero: u64,
}

/// The 8 bit planes of 64 bytes: `planes[k]` bit i is bit k of byte i. SSE2: each byte's top
/// bit for 16 bytes at once (`pmovmskb`), then the bytes doubled (`paddb`) to bring up the next.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn planes(chunk: &[u8; 64]) -> [u64; 8] {
    use safe_arch::{add_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i};
    let mut planes = [0u64; 8];
    let (parts, _) = chunk.as_chunks::<16>();
    for (k, part) in parts.iter().enumerate() {
        let mut v = load_unaligned_m128i(part);
        for bit in (0..8).rev() {
            let m = u64::from(move_mask_i8_m128i(v) as u16) << (16 * k);
            if let Some(p) = planes.get_mut(bit) {
                *p |= m;
            }
            v = add_i8_m128i(v, v);
        }
    }
    planes
}

/// The 8 bit planes of 64 bytes (see the SSE2 form), 8 bytes per word.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn planes(chunk: &[u8; 64]) -> [u64; 8] {
    planes_swar(chunk)
}

/// [`planes`] in portable code (the form non-x86-64 hosts use; tested on every host).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn planes_swar(chunk: &[u8; 64]) -> [u64; 8] {
    let mut planes = [0u64; 8];
    let (words, _) = chunk.as_chunks::<8>();
    for (k, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word);
        for (bit, p) in planes.iter_mut().enumerate() {
            // Bit `bit` of each byte gathered into one byte (the first byte lowest).
            let b = (x >> bit) & 0x0101_0101_0101_0101;
            *p |= (b.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
        }
    }
    planes
}

/// The classes of 64 bytes from their bit planes: each class is an AND of its byte's bits
/// (shared between classes: the high nibble, then two bits at a time of the low one).
#[inline(always)]
fn classify(chunk: &[u8; 64]) -> Classes {
    classes_of(planes(chunk))
}

/// [`classify`] from the planes.
#[inline(always)]
fn classes_of([p0, p1, p2, p3, p4, p5, p6, p7]: [u64; 8]) -> Classes {
    let a = !p7 & p5;
    let hi7 = a & p6 & p4; // 0x7_
    let hi6 = a & p6 & !p4; // 0x6_
    let hi3 = a & !p6 & p4; // 0x3_
    let hi2 = a & !p6 & !p4; // 0x2_
                             // Low nibble: bits 1..0 (q) and 3..2 (r).
    let (q0, q1, q2, q3) = (!p1 & !p0, !p1 & p0, p1 & !p0, p1 & p0);
    let (r0, r1, r2, r3) = (!p3 & !p2, !p3 & p2, p3 & !p2, p3 & p2);
    Classes {
        lbrace: hi7 & r2 & q3, // 0x7B
        rbrace: hi7 & r3 & q1, // 0x7D
        quote: hi2 & r0 & q2,  // 0x22
        colon: hi3 & r2 & q2,  // 0x3A
        comma: hi2 & r3 & q0,  // 0x2C
        t: hi7 & r1 & q0,      // 0x74
        i: hi6 & r2 & q1,      // 0x69
        m: hi6 & r3 & q1,      // 0x6D
        e: hi6 & r1 & q1,      // 0x65
        s: hi7 & r0 & q3,      // 0x73
        a: hi6 & r0 & q1,      // 0x61
        p: hi7 & r0 & q0,      // 0x70
        zero: hi3 & r0 & q0,   // 0x30
        digit: hi3 & (!p3 | (!p2 & !p1)),
    }
}

/// `cur` shifted toward later bytes by `k` (1..=63), the bits shifted out of `prev` coming in.
#[inline(always)]
fn sh(cur: u64, prev: u64, k: u32) -> u64 {
    (cur << k) | (prev >> (64 - k))
}

/// All ones when `bit` is 1.
#[inline(always)]
fn mask(bit: bool) -> u64 {
    0u64.wrapping_sub(u64::from(bit))
}

/// Whether `buf[..len]` is WeChat's layout with `appid` (see the module documentation), decided
/// with the same work for every `buf` of the same length. `len` and `padding_valid` are the
/// padding verdict (secret when the call fails). Returns `false` at once, for any content,
/// when `appid` or the length rules the layout out (public facts).
pub(crate) fn accepts(
    buf: &[u8],
    len: usize,
    padding_valid: bool,
    appid: &[u8],
    heads: &mut Heads,
) -> bool {
    let n = buf.len();
    let suffix_len = SUFFIX_FIXED + appid.len();
    if appid.len() > MAX_APPID
        || !appid
            .iter()
            .all(|&c| (0x20..0x7F).contains(&c) && c != b'"' && c != b'\\')
        || !n.is_multiple_of(16)
        || n > 64 * MAX_WORDS
        || n < suffix_len + 16
    {
        return false;
    }
    // Where the suffix starts: between n - 16 - suffix_len and n - 1 - suffix_len.
    let end = len.wrapping_sub(suffix_len);
    let window_start = n - 16 - suffix_len;
    let shift = end.wrapping_sub(window_start); // 0..=15 when the padding is valid

    let mut ok = mask(padding_valid) & mask(end >= PREFIX.len()) & mask(shift < 16);
    ok &= mask(prefix_matches(buf));
    ok &= mask(suffix_matches(buf, window_start, shift & 15, appid));
    ok &= mask(entries_match(buf, end, heads));
    ok != 0
}

fn prefix_matches(buf: &[u8]) -> bool {
    let mut diff = 0u8;
    for (a, b) in buf.iter().zip(PREFIX) {
        diff |= a ^ b;
    }
    diff == 0
}

/// The suffix, moved into place from the last bytes of the buffer by `shift` (0..=15) bytes
/// with a branch-free shifter, compared whole with what it must be.
fn suffix_matches(buf: &[u8], window_start: usize, shift: usize, appid: &[u8]) -> bool {
    const BYTES: usize = WINDOW_WORDS * 8;
    // The window: the suffix's 16 possible places (public positions), zero after the buffer.
    let mut bytes = [0u8; BYTES];
    let tail = buf.get(window_start..).unwrap_or_default();
    let n = tail.len().min(BYTES);
    if let (Some(dst), Some(src)) = (bytes.get_mut(..n), tail.get(..n)) {
        dst.copy_from_slice(src);
    }
    let mut window = [0u64; WINDOW_WORDS];
    for (w, chunk) in window.iter_mut().zip(bytes.as_chunks::<8>().0) {
        *w = u64::from_le_bytes(*chunk);
    }
    // Moved by `shift` bytes: a whole word or not (by a mask), then 0 to 7 bytes by a shift of
    // the words by a secret count (a variable shift takes the same time whatever its count).
    // (The mask through `black_box`: seeing a 0-or-all-ones mask, the compiler made the stage a
    // branch on the secret shift, which tests/ct caught.)
    let take = core::hint::black_box(mask(shift & 8 != 0));
    for i in 0..WINDOW_WORDS {
        let lo = window.get(i).copied().unwrap_or(0);
        let hi = window.get(i + 1).copied().unwrap_or(0);
        if let Some(w) = window.get_mut(i) {
            *w = (lo & !take) | (hi & take);
        }
    }
    let bits = 8 * (shift & 7) as u32;
    for i in 0..WINDOW_WORDS {
        let lo = window.get(i).copied().unwrap_or(0);
        let hi = window.get(i + 1).copied().unwrap_or(0);
        if let Some(w) = window.get_mut(i) {
            // (`hi << 1 << (63 - bits)`: no shift by 64 when `bits` is 0.)
            *w = (lo >> bits) | ((hi << 1) << (63 - bits));
        }
    }
    // The suffix as it must be; the timestamp's 10 places hold '0' and are checked as digits.
    let mut expected = [0u8; BYTES];
    let mut at = 0;
    for part in [SUFFIX_HEAD, b"0000000000", APPID_KEY, appid, SUFFIX_END] {
        if let Some(dst) = expected.get_mut(at..at + part.len()) {
            dst.copy_from_slice(part);
        }
        at += part.len();
    }
    let suffix_len = at;
    let mut bad = 0u64;
    for (i, (&w, exp)) in window.iter().zip(expected.as_chunks::<8>().0).enumerate() {
        let exp = u64::from_le_bytes(*exp);
        let dig = DIGIT_PLACES.get(i).copied().unwrap_or(0);
        // Bytes past the suffix are not compared.
        let live = match suffix_len.saturating_sub(8 * i) {
            0 => 0,
            k if k >= 8 => u64::MAX,
            k => (1u64 << (8 * k)) - 1,
        };
        bad |= (w ^ exp) & !dig & live;
        let t = w ^ 0x3030_3030_3030_3030;
        bad |= (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080 & dig;
    }
    // The watermark's timestamp has no leading zero.
    let word = window.get(SUFFIX_HEAD.len() / 8).copied().unwrap_or(0);
    let first = (word >> (8 * (SUFFIX_HEAD.len() % 8))) as u8;
    bad |= u64::from(first == b'0');
    bad == 0
}

/// The places of the watermark timestamp's 10 digits in the suffix, as byte masks per word.
// (Evaluated at compile time: an index out of range would not compile.)
#[allow(clippy::indexing_slicing)]
const DIGIT_PLACES: [u64; WINDOW_WORDS] = {
    let mut words = [0u64; WINDOW_WORDS];
    let mut i = SUFFIX_HEAD.len();
    while i < SUFFIX_HEAD.len() + 10 {
        words[i / 8] |= 0xFF << (8 * (i % 8));
        i += 1;
    }
    words
};

/// The entries between byte 17 and `end` (where the suffix starts), as the module
/// documentation describes.
fn entries_match(buf: &[u8], end: usize, heads: &mut Heads) -> bool {
    let mut bad = 0u64;
    let mut prev = Classes::default();
    // Previous words of the derived masks.
    let (mut p_d2, mut p_d4, mut p_d9, mut p_nz) = (0u64, 0u64, 0u64, 0u64);
    let (mut p_he, mut p_s1z, mut p_q, mut p_next) = (0u64, 0u64, 0u64, 0u64);
    let mut carry = 0u64;
    let mut he_first = 0u64;
    let mut last = [0u8; 64];
    for (w, bytes) in buf.chunks(64).enumerate() {
        // (A whole chunk is read where it is; the last, shorter one from a copy: a public length.)
        let chunk = match <&[u8; 64]>::try_from(bytes) {
            Ok(chunk) => chunk,
            Err(_) => {
                for (dst, src) in last.iter_mut().zip(bytes) {
                    *dst = *src;
                }
                &last
            }
        };
        let c = classify(chunk);
        let d = c.digit;
        let nz = d & !c.zero;
        let d2 = d & sh(d, prev.digit, 1);
        let d4 = d2 & sh(d2, p_d2, 2);
        let d8 = d4 & sh(d4, p_d4, 4);
        let d9 = d8 & sh(d, prev.digit, 8);
        // The head, marked at its last byte (offset 30).
        let at = |cur: u64, prev: u64, offset: u32| sh(cur, prev, 30 - offset);
        let he = c.colon
            & at(c.lbrace, prev.lbrace, 0)
            & at(c.quote, prev.quote, 1)
            & at(c.t, prev.t, 2)
            & at(c.i, prev.i, 3)
            & at(c.m, prev.m, 4)
            & at(c.e, prev.e, 5)
            & at(c.s, prev.s, 6)
            & at(c.t, prev.t, 7)
            & at(c.a, prev.a, 8)
            & at(c.m, prev.m, 9)
            & at(c.p, prev.p, 10)
            & at(c.quote, prev.quote, 11)
            & at(c.colon, prev.colon, 12)
            & at(nz, p_nz, 13)
            & at(d9, p_d9, 22)
            & at(c.comma, prev.comma, 23)
            & at(c.quote, prev.quote, 24)
            & at(c.s, prev.s, 25)
            & at(c.t, prev.t, 26)
            & at(c.e, prev.e, 27)
            & at(c.p, prev.p, 28)
            & at(c.quote, prev.quote, 29);
        // The step count: a digit right after each head, no leading zero, at most 7 digits.
        let s1 = sh(he, p_he, 1);
        bad |= s1 & !d;
        let s1z = s1 & c.zero;
        bad |= sh(s1z, p_s1z, 1) & d;
        bad |= sh(he, p_he, 8) & d8;
        // Where the run ends: the carry of adding its first bit stops after it.
        let (sum, c1) = d.overflowing_add(s1);
        let (sum, c2) = sum.overflowing_add(carry);
        carry = u64::from(c1 | c2);
        let q = sum & !d;
        bad |= q & !c.rbrace;
        // After '}': ',' and the next head, or the end of the list.
        let base = 64 * w;
        let off = end.wrapping_sub(base);
        let end_bit = (1u64 << (off & 63)) & mask(off < 64);
        let after = sh(q, p_q, 1);
        bad |= after & !c.comma & !end_bit;
        let next = after & c.comma;
        bad |= sh(next, p_next, 31) & !he;
        if w == 0 {
            he_first = he;
        }
        if let Some(slot) = heads.0.get_mut(w) {
            *slot = he;
        }
        prev = c;
        (p_d2, p_d4, p_d9, p_nz) = (d2, d4, d9, nz);
        (p_he, p_s1z, p_q, p_next) = (he, s1z, q, next);
    }
    // A list that is not empty starts with a head at byte 17 (its last byte at 47).
    let list = mask(end > PREFIX.len());
    bad |= list & !(he_first >> 47) & 1;
    bad == 0
}

/// Reads a buffer [`accepts`] accepted (with `heads` as it left them): the entry count (the
/// first `out.len()` entries written) and the watermark, straight from the places the check
/// found. `None` only if the buffer is not one it accepted.
pub(crate) fn read<'a>(
    buf: &'a [u8],
    len: usize,
    appid: &[u8],
    heads: &Heads,
    out: &mut [StepInfo],
) -> Option<(usize, crate::payload::RawWatermark<'a>)> {
    let mut count = 0usize;
    let words = heads.0.get(..buf.len().div_ceil(64)).unwrap_or(&heads.0);
    for (w, &word) in words.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            // The head's last byte (':' of "step"); its timestamp is 17 to 8 bytes before.
            let at = 64 * w + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            // The timestamp's 10 digits, then `,"step":` and the step count's up to 8 bytes.
            let entry = buf.get(at.checked_sub(17)?..)?.first_chunk::<26>()?;
            let (ts, rest) = entry.split_at(10);
            let timestamp = ten_digits(ts)?;
            let step = step_digits(rest.get(8..)?)?;
            if let Some(slot) = out.get_mut(count) {
                *slot = StepInfo {
                    timestamp: i64::try_from(timestamp).ok()?,
                    step,
                };
            }
            count += 1;
        }
    }
    let start = len.checked_sub(SUFFIX_FIXED + appid.len())?;
    let timestamp = ten_digits(buf.get(start + SUFFIX_HEAD.len()..)?)?;
    let appid_at = start + SUFFIX_HEAD.len() + 10 + APPID_KEY.len();
    Some((
        count,
        crate::payload::RawWatermark {
            timestamp: i64::try_from(timestamp).ok()?,
            appid: crate::json::JsonStr::plain(buf.get(appid_at..appid_at + appid.len())?),
        },
    ))
}

/// The value of the 10 digits `text` starts with.
#[inline(always)]
fn ten_digits(text: &[u8]) -> Option<u64> {
    let high = crate::payload::compact::value8(
        u64::from_le_bytes(*text.first_chunk::<8>()?) ^ 0x3030_3030_3030_3030,
    );
    let [a, b] = *text.get(8..10)? else {
        return None;
    };
    Some(high * 100 + u64::from(a.wrapping_sub(b'0')) * 10 + u64::from(b.wrapping_sub(b'0')))
}

/// The value of the 1 to 7 digits `text` starts with (a '}' follows them).
#[inline(always)]
fn step_digits(text: &[u8]) -> Option<u32> {
    let (value, _) = crate::payload::compact::digits8(text)?;
    u32::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    const APPID: &[u8] = b"wx4f4bc4dec97d474b";

    fn doc(entries: &[(&str, &str)], ts: &str, appid: &str) -> String {
        let list: Vec<String> = entries
            .iter()
            .map(|(t, s)| format!("{{\"timestamp\":{t},\"step\":{s}}}"))
            .collect();
        format!(
            "{{\"stepInfoList\":[{}],\"watermark\":{{\"timestamp\":{ts},\"appid\":\"{appid}\"}}}}",
            list.join(",")
        )
    }

    fn padded(text: &[u8]) -> (Vec<u8>, usize) {
        let pad = 16 - text.len() % 16;
        let mut v = text.to_vec();
        v.extend(core::iter::repeat_n(pad as u8, pad));
        (v, text.len())
    }

    fn check(text: &str) -> bool {
        let (buf, len) = padded(text.as_bytes());
        accepts(&buf, len, true, APPID, &mut Heads::new())
    }

    #[test]
    fn accepts_wechat_layout_only() {
        let a = "wx4f4bc4dec97d474b";
        assert!(check(&doc(&[("1717171200", "6311")], "1717300000", a)));
        assert!(check(&doc(&[], "1717300000", a)));
        assert!(check(&doc(
            &[
                ("1717171200", "0"),
                ("1717257600", "9999999"),
                ("1717344000", "12")
            ],
            "1717300000",
            a
        )));
        for bad in [
            doc(
                &[("1717171200", "6311")],
                "1717300000",
                "wx4f4bc4dec97d474c",
            ),
            doc(&[("1717171200", "06311")], "1717300000", a),
            doc(&[("1717171200", "10000000")], "1717300000", a),
            doc(&[("0717171200", "1")], "1717300000", a),
            doc(&[("171717120", "1")], "1717300000", a),
            doc(&[("17171712000", "1")], "1717300000", a),
            doc(&[("1717171200", "")], "1717300000", a),
            doc(&[("1717171200", "1")], "0717300000", a),
            doc(&[("1717171200", "1")], "171730000", a),
            doc(&[("1717171200", "1")], "1717300000", a).replace("step", "stap"),
            doc(&[("1717171200", "1")], "1717300000", a).replacen(',', " ,", 1),
            doc(&[("1717171200", "1"), ("1717171200", "1")], "1717300000", a)
                .replacen("},{", "}, {", 1),
            doc(&[("1717171200", "1"), ("1717171200", "1")], "1717300000", a)
                .replacen("},{", "}{", 1),
        ] {
            assert!(!check(&bad), "{bad}");
        }
    }

    /// Every byte of a document changed to each of a set of bytes: whatever the check accepts,
    /// the fast reader reads, with the expected appid (so no literal byte goes unchecked), and
    /// a change of any byte outside the digits is refused.
    #[test]
    fn every_byte_is_checked() {
        let text = doc(
            &[
                ("1717171200", "6311"),
                ("1717257600", "0"),
                ("1717344000", "1234567"),
            ],
            "1717300000",
            "wx4f4bc4dec97d474b",
        );
        let digits: Vec<bool> = text.bytes().map(|b| b.is_ascii_digit()).collect();
        for at in 0..text.len() {
            for byte in *b"xs0159\"{}[],: \x01\xff" {
                let mut changed = text.clone().into_bytes();
                if changed[at] == byte {
                    continue;
                }
                changed[at] = byte;
                let (buf, len) = padded(&changed);
                let accepted = accepts(&buf, len, true, APPID, &mut Heads::new());
                if accepted {
                    let read =
                        crate::payload::compact_parse(&changed, &mut [StepInfo::default(); 4]);
                    assert!(
                        read.is_some_and(|(_, w)| w.appid.equals(APPID)),
                        "byte {at} = {byte:#x}: accepted, not read"
                    );
                }
                // Outside the appid's digits... a changed literal byte is refused.
                let in_appid = at >= text.len() - 3 - APPID.len() && at < text.len() - 3;
                if !digits[at] && !in_appid {
                    assert!(!accepted, "byte {at} = {byte:#x}: accepted");
                }
            }
        }
    }

    /// Every byte value at every position of a chunk lands in its classes and no other, with
    /// both forms of the bit planes.
    #[test]
    fn classes_are_exact() {
        for start in 0..4usize {
            let mut chunk = [0u8; 64];
            for (i, b) in chunk.iter_mut().enumerate() {
                *b = (start * 64 + i) as u8;
            }
            for planes in [planes(&chunk), planes_swar(&chunk)] {
                let c = classes_of(planes);
                for (i, &b) in chunk.iter().enumerate() {
                    let bit = |m: u64| m >> i & 1 == 1;
                    let want = [
                        (c.lbrace, b == b'{'),
                        (c.rbrace, b == b'}'),
                        (c.quote, b == b'"'),
                        (c.colon, b == b':'),
                        (c.comma, b == b','),
                        (c.t, b == b't'),
                        (c.i, b == b'i'),
                        (c.m, b == b'm'),
                        (c.e, b == b'e'),
                        (c.s, b == b's'),
                        (c.a, b == b'a'),
                        (c.p, b == b'p'),
                        (c.zero, b == b'0'),
                        (c.digit, b.is_ascii_digit()),
                    ];
                    for (k, (m, w)) in want.iter().enumerate() {
                        assert_eq!(bit(*m), *w, "byte {b:#x}, class {k}");
                    }
                }
            }
        }
    }

    #[test]
    fn follows_the_padding() {
        let text = doc(
            &[("1717171200", "6311")],
            "1717300000",
            "wx4f4bc4dec97d474b",
        );
        let (mut buf, len) = padded(text.as_bytes());
        assert!(accepts(&buf, len, true, APPID, &mut Heads::new()));
        assert!(!accepts(&buf, len, false, APPID, &mut Heads::new()));
        assert!(!accepts(&buf, len - 1, true, APPID, &mut Heads::new()));
        let last = buf.len() - 1;
        buf[last] ^= 1;
        assert!(accepts(&buf, len, true, APPID, &mut Heads::new()));
    }
}
