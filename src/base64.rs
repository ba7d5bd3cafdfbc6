//! Base64 as WeChat payloads arrive at a backend: repaired by default, strict on request.
//!
//! Two decoders share one grammar:
//! * [`decode_block16`] for the 16-byte `session_key` and `iv`: the secret is decoded in
//!   constant time by arithmetic on each character; the repair step before it maps characters without branching on
//!   their value.
//! * [`decode_public`] / [`decode_in_place`] for `encryptedData`, which is public (it crosses the
//!   network in the clear): an 8-characters-at-a-time table decoder, falling back to a
//!   character-at-a-time path for whitespace, padding and the final partial group.

/// How strictly base64 input is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Base64Mode {
    /// Repair what web frameworks do to base64, since none of it is ambiguous: a space is a `+`
    /// that was URL-decoded, ASCII whitespace (CR, LF, tab) is skipped, the URL-safe alphabet
    /// (`-`, `_`) is accepted and missing `=` padding is tolerated. A character is never dropped
    /// silently: anything else that is not base64 is an error, and so are non-zero unused bits.
    #[default]
    Repair,
    /// RFC 4648 §4 only: standard alphabet, `=` padding required, canonical unused bits, nothing
    /// else.
    Strict,
}

/// Marks an invalid character in the decode tables.
const INVALID: u8 = 0xFF;

// Evaluated at compile time only (into the statics below): an out-of-range index would be a
// compile error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn decode_table(repair: bool) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    if repair {
        table[b' ' as usize] = 62;
        table[b'-' as usize] = 62;
        table[b'_' as usize] = 63;
    }
    table
}

static STRICT_TABLE: [u8; 256] = decode_table(false);
static REPAIR_TABLE: [u8; 256] = decode_table(true);

impl Base64Mode {
    fn table(self) -> &'static [u8; 256] {
        match self {
            Base64Mode::Repair => &REPAIR_TABLE,
            Base64Mode::Strict => &STRICT_TABLE,
        }
    }

    fn skips(self, c: u8) -> bool {
        self == Base64Mode::Repair && matches!(c, b'\r' | b'\n' | b'\t')
    }

    /// `0xFF` when repair mode skips `c` (CR, LF, tab), else `0`, without a branch on `c`: for
    /// the secret `session_key` text.
    #[inline(always)]
    fn skip_mask(self, c: u8) -> u8 {
        match self {
            Base64Mode::Repair => ct_eq(c, b'\r') | ct_eq(c, b'\n') | ct_eq(c, b'\t'),
            Base64Mode::Strict => 0,
        }
    }
}

/// Why base64 input was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// Not base64 under the chosen mode.
    Invalid,
    /// Valid, but the decoded bytes (this many) do not fit the output.
    TooLong(usize),
}

/// Decodes base64 of exactly 16 bytes (a `session_key` or an `iv`) in constant time with respect
/// to the value of the data characters.
// Hosts inline it (the fast path then hands the key over in registers) and keep the other forms
// out of line; bare metal keeps the two in one function, as the stack budget of
// `werun_decrypt_steps` was measured (tests/firmware: an extra frame went past its scrub).
#[cfg_attr(not(target_os = "none"), inline(always))]
pub(crate) fn decode_block16(input: &[u8], mode: Base64Mode) -> Option<[u8; 16]> {
    // The form WeChat sends, 22 characters and "==", eight characters at a time in registers
    // (inlined into the caller, so that the key reaches its destination without a detour
    // through memory). It refuses anything else that is 24 characters long (whitespace, a '='
    // inside, a '%', a wrong character), and only then do the other forms' paths run: the
    // branch is on a mask that is zero for every well-formed text, so it says nothing about
    // the key.
    if let Some(bytes) = decode_block16_wechat_form(input, mode) {
        return Some(bytes);
    }
    decode_block16_other_forms(input, mode)
}

/// The 16 bytes of a text in the form WeChat sends (22 characters and "=="), decoded in
/// constant time ([`decode24`]); `None` for every other text, and on bare metal, which keeps
/// only the general path (smaller).
#[inline(always)]
fn decode_block16_wechat_form(input: &[u8], mode: Base64Mode) -> Option<[u8; 16]> {
    if crate::SIZE_FIRST {
        return None;
    }
    decode24(<&[u8; 24]>::try_from(input).ok()?, mode)
}

/// [`decode_block16`] for every text the fast path declines (and on bare metal, every text).
#[cfg_attr(not(target_os = "none"), inline(never))]
#[cfg_attr(target_os = "none", inline(always))]
fn decode_block16_other_forms(input: &[u8], mode: Base64Mode) -> Option<[u8; 16]> {
    // Percent-encoded '+', '/', '=' (repair mode): undone first, without a branch on where they
    // are. The branch on whether there is a '%' at all depends on the text's form only when
    // '=' is encoded too (every URL encoding does so).
    let has_percent = input.iter().fold(0u8, |m, &c| m | ct_eq(c, b'%'));
    if mode == Base64Mode::Repair && core::hint::black_box(has_percent) != 0 {
        let (mut unescaped, len) = percent_unescaped(input)?;
        // How many escapes there were is as secret as the key (they stand for its '+' and '/'):
        // the text is read at a length that depends on the input's length only, the slots after
        // the unescaped text filled, without a branch, with a line break (skipped, as repair
        // mode skips every line break).
        for (j, slot) in unescaped.iter_mut().enumerate() {
            let after = ct_lt_usize(len, j + 1);
            *slot = (*slot & !after) | (b'\n' & after);
        }
        return decode_block16_unescaped(
            unescaped.get(..input.len().min(UNESCAPED_KEY_MAX))?,
            mode,
        );
    }
    decode_block16_unescaped(input, mode)
}

/// Longest `session_key` text with percent escapes read: 24 characters, each encoded.
const ESCAPED_KEY_MAX: usize = 72;
/// Most characters left once the escapes are undone (24, and room for whitespace).
const UNESCAPED_KEY_MAX: usize = 32;

/// Undoes `%2B`, `%2F`, `%3D` (either case) in a secret text, in constant time with respect to
/// where they are: every character is written to every output slot under a mask. `None` when
/// the text is too long or a '%' starts anything else.
fn percent_unescaped(input: &[u8]) -> Option<(zeroize::Zeroizing<[u8; UNESCAPED_KEY_MAX]>, usize)> {
    if input.len() > ESCAPED_KEY_MAX {
        return None;
    }
    let mut out = zeroize::Zeroizing::new([0u8; UNESCAPED_KEY_MAX]);
    let at = |i: usize| input.get(i).copied().unwrap_or(0);
    let mut bad = 0u8;
    let mut emitted = 0usize;
    // Whether each of the two characters before was a '%' (their escape's tail is skipped).
    let (mut pct1, mut pct2) = (0u8, 0u8);
    for (i, &c) in input.iter().enumerate() {
        let pct = ct_eq(c, b'%');
        let (hi, lo) = (at(i + 1), at(i + 2));
        let lo_upper = lo & !(0x20 & ct_lt_u8(b'a' - 1, lo));
        let plus = ct_eq(hi, b'2') & ct_eq(lo_upper, b'B');
        let slash = ct_eq(hi, b'2') & ct_eq(lo_upper, b'F');
        let equals = ct_eq(hi, b'3') & ct_eq(lo_upper, b'D');
        bad |= pct & !(plus | slash | equals);
        let escaped = (b'+' & plus) | (b'/' & slash) | (b'=' & equals);
        let ch = (c & !pct) | (escaped & pct);
        let emit = !(pct1 | pct2);
        for (j, slot) in out.iter_mut().enumerate() {
            *slot |= ch & emit & ct_eq_usize(emitted, j);
        }
        emitted += usize::from(emit & 1);
        (pct2, pct1) = (pct1, pct);
    }
    if core::hint::black_box(bad) != 0 || emitted > UNESCAPED_KEY_MAX {
        return None;
    }
    Some((out, emitted))
}

/// `0xFF` when `a < b`, else `0`, without a data-dependent branch.
#[inline(always)]
fn ct_lt_u8(a: u8, b: u8) -> u8 {
    (u16::from(a).wrapping_sub(u16::from(b)) >> 8) as u8
}

/// `0xFF` when `a < b`, else `0`, without a data-dependent branch, for values below 2^16 (the
/// positions in a key's text).
#[inline(always)]
fn ct_lt_usize(a: usize, b: usize) -> u8 {
    let d = ((a & 0xFFFF) as u32).wrapping_sub((b & 0xFFFF) as u32);
    (d >> 24) as u8
}

/// `0xFF` when `a == b`, else `0`, without a data-dependent branch, for values below 2^16 (the
/// positions in a key's text).
#[inline(always)]
fn ct_eq_usize(a: usize, b: usize) -> u8 {
    let x = ((a ^ b) & 0xFFFF) as u32;
    // x - 1 borrows into the top byte exactly when x == 0.
    (x.wrapping_sub(1) >> 24) as u8
}

/// Decodes a `session_key` text without percent escapes character by character, in every form:
/// skipped whitespace and missing padding in repair mode, and every refusal.
fn decode_block16_unescaped(input: &[u8], mode: Base64Mode) -> Option<[u8; 16]> {
    // 16 bytes are 22 data characters and "==". The text is as secret as the key: the buffer is
    // wiped when it goes out of scope, on every path. Whether a character is '=' or skipped
    // whitespace is computed as a mask, without a branch on its value: the only branches are
    // on those masks, which are zero for every data character, so they say nothing about the
    // key.
    let mut canonical = zeroize::Zeroizing::new([b'='; 24]);
    let mut data = 0usize;
    let mut padding = 0usize;
    for &c in input {
        let pad = core::hint::black_box(ct_eq(c, b'='));
        if core::hint::black_box(pad | mode.skip_mask(c)) != 0 {
            if pad != 0 {
                padding += 1;
            }
            continue;
        }
        if padding > 0 || data >= 22 {
            return None;
        }
        *canonical.get_mut(data)? = canonical_char(c, mode);
        data += 1;
    }
    let padding_ok = match mode {
        Base64Mode::Repair => padding <= 2,
        Base64Mode::Strict => padding == 2,
    };
    if data != 22 || !padding_ok {
        return None;
    }
    let chars: &[u8; 22] = canonical.first_chunk()?;
    decode22(chars)
}

/// Decodes the 22 data characters of a 16-byte value in constant time: each character's sextet
/// comes from arithmetic on its value (no table, no branch), the validity of all 22 and the
/// canonical form (the last character's 4 unused bits zero) are OR-reduced into one mask, and
/// the only branch is on that mask.
fn decode22(chars: &[u8; 22]) -> Option<[u8; 16]> {
    let mut sextets = zeroize::Zeroizing::new([0u8; 24]);
    let mut bad = 0u8;
    for (s, &c) in sextets.iter_mut().zip(chars) {
        let (value, wrong) = sextet(c);
        *s = value;
        bad |= wrong;
    }
    // The last character carries 2 bits of the 16th byte; its other 4 must be zero.
    bad |= sextets.get(21).copied().unwrap_or(0xFF) & 0x0F;
    let mut out = zeroize::Zeroizing::new([0u8; 16]);
    let mut bytes = out.iter_mut();
    for q in sextets.chunks_exact(4) {
        let &[a, b, c, d] = q else { continue };
        for byte in [(a << 2) | (b >> 4), (b << 4) | (c >> 2), (c << 6) | d] {
            if let Some(slot) = bytes.next() {
                *slot = byte;
            }
        }
    }
    (core::hint::black_box(bad) == 0).then_some(*out)
}

/// One in every byte lane of a `u64`.
const LANES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte lane.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `0xFF` in each byte lane of the words `w` that equals `c`, else `0`. Exact in every lane: no
/// carry crosses from one lane into the next.
#[inline(always)]
fn lanes_eq(w: [u64; 4], c: u8) -> [u64; 4] {
    each(w, |w| {
        let x = w ^ (LANES * u64::from(c));
        // A lane's high bit ends up set exactly when the lane is not zero.
        let nonzero = ((x & !HIGH) + !HIGH) | x;
        ((!nonzero & HIGH) >> 7) * 0xFF
    })
}

/// Each applies `f` to the four words of a text (kept as arrays of four so that the compiler
/// can process them two or four at a time in vector registers).
#[inline(always)]
fn each(w: [u64; 4], f: impl Fn(u64) -> u64) -> [u64; 4] {
    w.map(f)
}

/// `f` on pairs of lanes of two four-word arrays.
#[inline(always)]
fn each2(a: [u64; 4], b: [u64; 4], f: impl Fn(u64, u64) -> u64) -> [u64; 4] {
    let [a0, a1, a2, a3] = a;
    let [b0, b1, b2, b3] = b;
    [f(a0, b0), f(a1, b1), f(a2, b2), f(a3, b3)]
}

/// Thirty-two characters of base64 in four words (the first character of each in its lowest
/// byte lane) to four 48-bit groups, and a mask that is non-zero when any character is not of
/// the standard alphabet. Branch-free and table-free, in the spirit of [`sextet`], eight
/// lanes per word: range tests are subtractions whose borrow cannot cross a lane, the validity
/// is the union of the alphabet's four ranges, and the sextet is the character minus a step
/// function of those tests.
#[inline(always)]
fn decode_lanes(w: [u64; 4]) -> ([u64; 4], u64) {
    // The high bit of each lane, set when the lane is at least `t` (for lanes below 0x80; the
    // others are refused below): each lane computes `(lane | 0x80) - t`, which cannot borrow.
    let high = each(w, |x| x | HIGH);
    let at_least = |t: u8| each(high, |x| x.wrapping_sub(LANES * u64::from(t)) & HIGH);
    let range = |lo: u8, hi: u8| each2(at_least(lo), at_least(hi + 1), |a, b| a & !b);
    let slash_up = at_least(b'/');
    let digit_up = at_least(b'0');
    let upper_up = at_least(b'A');
    let lower_up = at_least(b'a');
    let mut valid = range(b'+', b'+');
    for r in [
        each2(slash_up, at_least(b'9' + 1), |a, b| a & !b),
        each2(upper_up, at_least(b'Z' + 1), |a, b| a & !b),
        range(b'a', b'z'),
    ] {
        valid = each2(valid, r, |a, b| a | b);
    }
    let [b0, b1, b2, b3] = each2(valid, w, |v, x| (!v | x) & HIGH);
    // '+' → 62 (c + 19), '/' → 63 (c + 16), '0'.. → 52.. (c + 4), 'A'.. → 0.. (c - 65), 'a'.. →
    // 26.. (c - 71): c + 19 minus 3, 12, 69 and 6 for each range boundary the lane reaches. In
    // a valid lane nothing carries or borrows; a lane from 0x80 up may disturb its neighbour,
    // but then the mask refuses the whole text.
    let mut v = each(w, |x| x.wrapping_add(LANES * 19));
    for (up, step) in [(slash_up, 3), (digit_up, 12), (upper_up, 69), (lower_up, 6)] {
        v = each2(v, up, |x, u| x.wrapping_sub((u >> 7) * step));
    }
    // Pack: sextet pairs into 12-bit, then 24-bit, then one 48-bit group, first character in
    // the most significant bits.
    let pairs = each(v, |x| {
        ((x & 0x00FF_00FF_00FF_00FF) << 6) | ((x >> 8) & 0x00FF_00FF_00FF_00FF)
    });
    let quads = each(pairs, |x| {
        ((x & 0x0000_FFFF_0000_FFFF) << 12) | ((x >> 16) & 0x0000_FFFF_0000_FFFF)
    });
    let bits = each(quads, |x| ((x & 0xFFFF_FFFF) << 24) | (x >> 32));
    (bits, b0 | b1 | b2 | b3)
}

/// Decodes a 24-character `session_key` or `iv` text in WeChat's form (22 data characters and
/// "==") in constant time, eight characters at a time: repair mode's ' ', '-', '_' are mapped
/// under masks, and the validity of every character, the "==" and the canonical form (the
/// last data character's 4 unused bits zero) are OR-reduced into one mask, the only branch.
/// `None` for every other text of that length, which the caller then reads character by
/// character.
#[inline(always)]
fn decode24(text: &[u8; 24], mode: Base64Mode) -> Option<[u8; 16]> {
    let (chunks, _) = text.as_chunks::<8>();
    let &[c0, c1, c2] = chunks else { return None };
    // The last two characters must be "=="; they are decoded as 'A' (zero bits), and so is the
    // fourth word.
    let last = u64::from_le_bytes(c2);
    let tail = (last >> 48) ^ 0x3D3D;
    let last = (last & 0x0000_FFFF_FFFF_FFFF) | (0x4141 << 48);
    let w = [
        u64::from_le_bytes(c0),
        u64::from_le_bytes(c1),
        last,
        LANES * 0x41,
    ];
    let w = match mode {
        Base64Mode::Repair => {
            let plus = each2(lanes_eq(w, b' '), lanes_eq(w, b'-'), |a, b| a | b);
            let slash = lanes_eq(w, b'_');
            let w = each2(w, each2(plus, slash, |a, b| a | b), |x, m| x & !m);
            let w = each2(w, plus, |x, m| x | ((LANES * u64::from(b'+')) & m));
            each2(w, slash, |x, m| x | ((LANES * u64::from(b'/')) & m))
        }
        Base64Mode::Strict => w,
    };
    let ([b0, b1, b2, _], bad) = decode_lanes(w);
    // The last 16 bits are the last data character's unused 4 bits and the two 'A's.
    let bad = bad | tail | (b2 & 0xFFFF);
    // 48 + 48 + 32 bits, built in registers (no partial stores of the key).
    let out = (u128::from(b0) << 80) | (u128::from(b1) << 32) | u128::from(b2 >> 16);
    (core::hint::black_box(bad) == 0).then_some(out.to_be_bytes())
}

/// The standard-alphabet form of a data character: in repair mode ' ' and '-' become '+' and
/// '_' becomes '/', branch-free on the character's value.
#[inline(always)]
fn canonical_char(c: u8, mode: Base64Mode) -> u8 {
    match mode {
        Base64Mode::Repair => {
            let plus = ct_eq(c, b' ') | ct_eq(c, b'-');
            let slash = ct_eq(c, b'_');
            (c & !(plus | slash)) | (b'+' & plus) | (b'/' & slash)
        }
        Base64Mode::Strict => c,
    }
}

/// The character that `%hi lo` encodes, if it is one repair mode accepts: `%2B` ('+'), `%2F`
/// ('/') and `%3D` ('='), either case.
fn percent_decoded(hi: u8, lo: u8) -> Option<u8> {
    match (hi, lo.to_ascii_uppercase()) {
        (b'2', b'B') => Some(b'+'),
        (b'2', b'F') => Some(b'/'),
        (b'3', b'D') => Some(b'='),
        _ => None,
    }
}

/// `0xFF` when `a == b`, else `0`, without a data-dependent branch.
#[inline(always)]
fn ct_eq(a: u8, b: u8) -> u8 {
    let x = u16::from(a ^ b);
    // x - 1 borrows into the high byte exactly when x == 0.
    (x.wrapping_sub(1) >> 8) as u8
}

/// Largest number of bytes that `len` characters of base64 can decode to.
#[must_use]
pub(crate) const fn decoded_len_max(len: usize) -> usize {
    len / 4 * 3 + (len % 4) * 3 / 4
}

/// Decodes the public `input` into `out`, returning the decoded length.
pub(crate) fn decode_public(
    input: &[u8],
    out: &mut [u8],
    mode: Base64Mode,
) -> Result<usize, DecodeError> {
    if let Some(len) = simd::decode(input, out) {
        return Ok(len);
    }
    decode(&mut Split { input, out }, mode)
}

/// Decodes `buf` in place (the decoded bytes start at `buf[0]`), returning the decoded length.
/// On failure the buffer's content is unspecified (partly decoded).
pub(crate) fn decode_in_place(buf: &mut [u8], mode: Base64Mode) -> Result<usize, DecodeError> {
    if let Some(len) = simd::decode_in_place(buf) {
        return Ok(len);
    }
    decode(&mut InPlace { buf }, mode)
}

/// With the `std` feature: clean RFC 4648 text (standard alphabet, `=` padding, canonical, the
/// common case and a subset of both modes' grammar, decoded to the same bytes) goes through
/// `base64-simd`, which picks AVX2/SSE4.1/NEON at run time. `None` sends the input to werun's
/// own decoder, which repairs, refuses precisely and reports lengths.
#[cfg(feature = "std")]
mod simd {
    const BASE64: base64_simd::Base64 = base64_simd::STANDARD;

    pub(super) fn decode(input: &[u8], out: &mut [u8]) -> Option<usize> {
        let len = BASE64.decoded_length(input).ok()?;
        // (`decode` panics when the output is short: give it exactly what it needs.)
        let out = out.get_mut(..len)?;
        match BASE64.decode(input, base64_simd::Out::from_slice(out)) {
            Ok(decoded) => Some(decoded.len()),
            Err(_) => {
                // It may have written part of the output before refusing: leave none of it
                // behind the fallback, which may decode fewer bytes (found by fuzzing).
                crate::cipher::wipe(out);
                None
            }
        }
    }

    pub(super) fn decode_in_place(buf: &mut [u8]) -> Option<usize> {
        // `check` writes nothing, so a refused text reaches the fallback intact.
        BASE64.check(buf).ok()?;
        BASE64.decode_inplace(buf).ok().map(|decoded| decoded.len())
    }
}

/// Without `std` (bare metal): werun's own decoder only.
#[cfg(not(feature = "std"))]
mod simd {
    pub(super) fn decode(_input: &[u8], _out: &mut [u8]) -> Option<usize> {
        None
    }

    pub(super) fn decode_in_place(_buf: &mut [u8]) -> Option<usize> {
        None
    }
}

/// Where the decoder reads characters and writes bytes. The write position never passes the
/// read position, so one buffer can be both.
trait Io {
    fn input_len(&self) -> usize;
    fn read(&self, at: usize) -> Option<u8>;
    fn read8(&self, at: usize) -> Option<[u8; 8]>;
    fn read32(&self, at: usize) -> Option<[u8; 32]>;
    /// Writes `bytes` at `at`; false when the output has no room.
    fn write(&mut self, at: usize, bytes: &[u8]) -> bool;
}

struct Split<'i, 'o> {
    input: &'i [u8],
    out: &'o mut [u8],
}

impl Io for Split<'_, '_> {
    fn input_len(&self) -> usize {
        self.input.len()
    }
    fn read(&self, at: usize) -> Option<u8> {
        self.input.get(at).copied()
    }
    fn read8(&self, at: usize) -> Option<[u8; 8]> {
        self.input.get(at..at.checked_add(8)?)?.try_into().ok()
    }
    fn read32(&self, at: usize) -> Option<[u8; 32]> {
        self.input.get(at..at.checked_add(32)?)?.try_into().ok()
    }
    fn write(&mut self, at: usize, bytes: &[u8]) -> bool {
        write_at(self.out, at, bytes)
    }
}

struct InPlace<'b> {
    buf: &'b mut [u8],
}

impl Io for InPlace<'_> {
    fn input_len(&self) -> usize {
        self.buf.len()
    }
    fn read(&self, at: usize) -> Option<u8> {
        self.buf.get(at).copied()
    }
    fn read8(&self, at: usize) -> Option<[u8; 8]> {
        self.buf.get(at..at.checked_add(8)?)?.try_into().ok()
    }
    fn read32(&self, at: usize) -> Option<[u8; 32]> {
        self.buf.get(at..at.checked_add(32)?)?.try_into().ok()
    }
    fn write(&mut self, at: usize, bytes: &[u8]) -> bool {
        write_at(self.buf, at, bytes)
    }
}

fn write_at(out: &mut [u8], at: usize, bytes: &[u8]) -> bool {
    match at
        .checked_add(bytes.len())
        .and_then(|end| out.get_mut(at..end))
    {
        Some(dst) => {
            if crate::SIZE_FIRST {
                // (`copy_from_slice` checks the lengths again in a function that `opt-level =
                // "z"` does not inline, which would leave a panic path on bare metal.)
                for (d, b) in dst.iter_mut().zip(bytes) {
                    *d = *b;
                }
            } else {
                dst.copy_from_slice(bytes);
            }
            true
        }
        None => false,
    }
}

/// Looks 8 characters up at once: 48 bits, or `None` if any character needs the slow path.
#[inline(always)]
fn decode8(table: &[u8; 256], chars: [u8; 8]) -> Option<[u8; 6]> {
    let mut acc = 0u64;
    let mut bad = 0u8;
    for c in chars {
        let v = table.get(usize::from(c)).copied().unwrap_or(INVALID);
        bad |= v;
        acc = (acc << 6) | u64::from(v);
    }
    if bad & 0x80 != 0 {
        return None;
    }
    let [_, _, b0, b1, b2, b3, b4, b5] = acc.to_be_bytes();
    Some([b0, b1, b2, b3, b4, b5])
}

/// Decodes 32 characters of the standard alphabet into 24 bytes, or `None` if any character is
/// something else (repairs, padding, whitespace: the slow path handles those).
///
/// Two forms of the same function, both safe code. Without AVX2 (the portable baseline), four
/// lookup tables give each character's bits already in place in the output word, so a group of 4
/// characters costs 4 loads and 3 ORs. With AVX2 enabled at compile time (e.g.
/// `-C target-cpu=native`), a branch-free, table-free form that LLVM vectorises.
#[cfg(not(target_feature = "avx2"))]
#[inline(always)]
fn decode32(chars: &[u8; 32]) -> Option<[u8; 24]> {
    let [t0, t1, t2, t3] = &QUAD_TABLES;
    let mut words = [0u64; 8];
    let mut bad = 0u32;
    for (w, q) in words.iter_mut().zip(chars.chunks_exact(4)) {
        let &[a, b, c, d] = q else { return None };
        let word = t0.get(usize::from(a)).copied().unwrap_or(QUAD_INVALID)
            | t1.get(usize::from(b)).copied().unwrap_or(QUAD_INVALID)
            | t2.get(usize::from(c)).copied().unwrap_or(QUAD_INVALID)
            | t3.get(usize::from(d)).copied().unwrap_or(QUAD_INVALID);
        bad |= word;
        *w = u64::from(word);
    }
    if bad & QUAD_INVALID != 0 {
        return None;
    }
    // Eight 3-byte groups, packed into three little-endian words.
    let [w0, w1, w2, w3, w4, w5, w6, w7] = words;
    let q0 = w0 | (w1 << 24) | (w2 << 48);
    let q1 = (w2 >> 16) | (w3 << 8) | (w4 << 32) | (w5 << 56);
    let q2 = (w5 >> 8) | (w6 << 16) | (w7 << 40);
    let mut out = [0u8; 24];
    for (o, q) in out.chunks_exact_mut(8).zip([q0, q1, q2]) {
        o.copy_from_slice(&q.to_le_bytes());
    }
    Some(out)
}

/// Marks an invalid character in [`QUAD_TABLES`] (valid entries use the low 3 bytes only).
#[cfg(not(target_feature = "avx2"))]
const QUAD_INVALID: u32 = 0xFF00_0000;

/// For the 4 positions of a group, each character's sextet placed where it lands in the 3
/// output bytes (read as a little-endian word), or [`QUAD_INVALID`].
#[cfg(not(target_feature = "avx2"))]
static QUAD_TABLES: [[u32; 256]; 4] = quad_tables();

// Evaluated at compile time only: an out-of-range index would be a compile error.
#[cfg(not(target_feature = "avx2"))]
#[allow(clippy::indexing_slicing)]
const fn quad_tables() -> [[u32; 256]; 4] {
    let mut t = [[QUAD_INVALID; 256]; 4];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        let c = alphabet[i] as usize;
        let s = i as u32;
        // Output bytes: s0 << 2 | s1 >> 4, (s1 & 0xF) << 4 | s2 >> 2, (s2 & 3) << 6 | s3.
        t[0][c] = s << 2;
        t[1][c] = (s >> 4) | ((s & 0xF) << 12);
        t[2][c] = ((s >> 2) << 8) | ((s & 3) << 22);
        t[3][c] = s << 16;
        i += 1;
    }
    t
}

#[cfg(target_feature = "avx2")]
#[inline(always)]
fn decode32(chars: &[u8; 32]) -> Option<[u8; 24]> {
    let mut sextets = [0u8; 32];
    let mut bad = 0u8;
    for (s, &c) in sextets.iter_mut().zip(chars) {
        let (value, wrong) = sextet(c);
        *s = value;
        bad |= wrong;
    }
    if bad != 0 {
        return None;
    }
    let mut groups = [0u32; 8];
    for (g, q) in groups.iter_mut().zip(sextets.chunks_exact(4)) {
        let w = u32::from_le_bytes(q.try_into().ok()?);
        *g = ((w & 0x3F) << 18) | ((w & 0x3F00) << 4) | ((w >> 10) & 0xFC0) | (w >> 24);
    }
    let mut out = [0u8; 24];
    for (o, g) in out.chunks_exact_mut(3).zip(groups) {
        let [a, b, c, _] = (g << 8).to_be_bytes();
        o.copy_from_slice(&[a, b, c]);
    }
    Some(out)
}

/// `0xFF` when `c >= t` (for `c < 0x80`; every byte from 0x80 counts as below), else `0`.
#[inline(always)]
fn at_least(c: u8, t: u8) -> u8 {
    0u8.wrapping_sub(u8::from((c as i8) > (t.wrapping_sub(1) as i8)))
}

/// The sextet of a standard-alphabet character, and non-zero when `c` is not one. Branch-free
/// and table-free: the value is `c` plus a step function of `c`; it is then encoded back and
/// compared with `c`, which refuses every other byte. Also the `session_key` decoder's, which
/// must not branch on the key's characters.
#[inline(always)]
fn sextet(c: u8) -> (u8, u8) {
    let v = c
        .wrapping_add(62 - b'+')
        .wrapping_add(at_least(c, b'/') & 3u8.wrapping_neg())
        .wrapping_add(at_least(c, b'0') & 12u8.wrapping_neg())
        .wrapping_add(at_least(c, b'A') & 69u8.wrapping_neg())
        .wrapping_add(at_least(c, b'a') & 6u8.wrapping_neg());
    let encoded = v
        .wrapping_add(b'A')
        .wrapping_add(at_least(v, 26) & 6)
        .wrapping_add(at_least(v, 52) & 75u8.wrapping_neg())
        .wrapping_add(at_least(v, 62) & 15u8.wrapping_neg())
        .wrapping_add(at_least(v, 63) & 3);
    (v, (encoded ^ c) | (v & 0xC0))
}

fn decode<I: Io>(io: &mut I, mode: Base64Mode) -> Result<usize, DecodeError> {
    let table = mode.table();
    let len = io.input_len();
    let mut read = 0usize;
    let mut written = 0usize;
    let mut fits = true;
    // Sextets of the current group and how many there are (0..=3 between groups).
    let mut acc = 0u32;
    let mut pending = 0u32;
    let mut padding = 0usize;

    while read < len {
        // Fast paths: 32, then 8 plain alphabet characters at a group boundary (not on bare
        // metal, where they would cost 4 KiB of tables and their code).
        if !crate::SIZE_FIRST && pending == 0 && padding == 0 {
            if let Some(bytes) = io.read32(read).and_then(|c| decode32(&c)) {
                fits &= io.write(written, &bytes);
                read += 32;
                written += 24;
                continue;
            }
            if let Some(bytes) = io.read8(read).and_then(|c| decode8(table, c)) {
                fits &= io.write(written, &bytes);
                read += 8;
                written += 6;
                continue;
            }
        }
        let mut c = io.read(read).ok_or(DecodeError::Invalid)?;
        read += 1;
        if mode.skips(c) {
            continue;
        }
        if c == b'%' && mode == Base64Mode::Repair {
            // A percent-encoded '+', '/' or '=' (URL-encoded twice on the way); anything else
            // after a '%' stays an error.
            let escape = [io.read(read), io.read(read + 1)];
            c = match escape {
                [Some(hi), Some(lo)] => percent_decoded(hi, lo).ok_or(DecodeError::Invalid)?,
                _ => return Err(DecodeError::Invalid),
            };
            read += 2;
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        let v = table.get(usize::from(c)).copied().unwrap_or(INVALID);
        if v == INVALID || padding > 0 {
            return Err(DecodeError::Invalid);
        }
        acc = (acc << 6) | u32::from(v);
        pending += 1;
        if pending == 4 {
            let [_, b0, b1, b2] = acc.to_be_bytes();
            fits &= io.write(written, &[b0, b1, b2]);
            written += 3;
            acc = 0;
            pending = 0;
        }
    }

    // The final partial group: 2 or 3 sextets carry 1 or 2 bytes, and the unused low bits must
    // be zero (canonical), so no input bit is ever dropped.
    let needed_padding = match pending {
        0 => 0,
        2 => 2,
        3 => 1,
        _ => return Err(DecodeError::Invalid),
    };
    let padding_ok = match mode {
        Base64Mode::Strict => padding == needed_padding,
        Base64Mode::Repair => padding <= needed_padding,
    };
    if !padding_ok {
        return Err(DecodeError::Invalid);
    }
    match pending {
        2 => {
            if acc & 0xF != 0 {
                return Err(DecodeError::Invalid);
            }
            fits &= io.write(written, &[(acc >> 4) as u8]);
            written += 1;
        }
        3 => {
            if acc & 0x3 != 0 {
                return Err(DecodeError::Invalid);
            }
            let [_, _, b0, b1] = (acc >> 2).to_be_bytes();
            fits &= io.write(written, &[b0, b1]);
            written += 2;
        }
        _ => {}
    }
    if fits {
        Ok(written)
    } else {
        Err(DecodeError::TooLong(written))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use base64ct::Encoding as _;

    /// A text the SIMD path refuses after writing part of its output (a tab near the end) leaves
    /// nothing behind the fallback's shorter result (found by the `ffi_decrypt` fuzz target).
    #[test]
    fn refused_text_leaves_nothing_past_the_decoded_bytes() {
        let text = [&[b'5'; 34][..], b"IIIIII\tIII"].concat();
        let mut out = [0xAAu8; 40];
        let len = decode_public(&text, &mut out[..33], Base64Mode::Repair).unwrap();
        assert_eq!(len, 32);
        assert!(
            out[len..].iter().all(|&b| b == 0 || b == 0xAA),
            "{:?}",
            &out[len..]
        );
    }

    /// The SIMD path (with `std`) accepts a subset of werun's grammar and decodes it to the same
    /// bytes: every length, and every single-character change of every position.
    #[test]
    fn simd_path_agrees_with_the_own_decoder() {
        let data: [u8; 70] = core::array::from_fn(|i| (i * 89 + 7) as u8);
        let mut enc = [0u8; 96];
        let mut simd_decoded = 0;
        for n in 0..=data.len() {
            let text = base64ct::Base64::encode(&data[..n], &mut enc)
                .unwrap()
                .as_bytes()
                .to_vec();
            for at in 0..=text.len() {
                for c in [b'A', b'=', b' ', b'-', b'\n', b'*', b'/'] {
                    let mut t = text.clone();
                    if at < t.len() {
                        t[at] = c;
                    } else {
                        t.push(c);
                    }
                    for mode in [Base64Mode::Repair, Base64Mode::Strict] {
                        let (mut a, mut b) = ([0u8; 128], [0u8; 128]);
                        let own = decode(
                            &mut Split {
                                input: &t,
                                out: &mut a,
                            },
                            mode,
                        );
                        if let Some(len) = simd::decode(&t, &mut b) {
                            simd_decoded += 1;
                            assert_eq!(own, Ok(len), "{:?}", core::str::from_utf8(&t));
                            assert_eq!(a[..len], b[..len]);
                        }
                        let mut inplace = [0u8; 128];
                        inplace[..t.len()].copy_from_slice(&t);
                        if let Some(len) = simd::decode_in_place(&mut inplace[..t.len()]) {
                            assert_eq!(own, Ok(len));
                            assert_eq!(a[..len], inplace[..len]);
                        }
                    }
                }
            }
        }
        // With `std` the SIMD path really ran; without it, it never does.
        assert_eq!(simd_decoded > 1000, cfg!(feature = "std"), "{simd_decoded}");
    }

    use super::*;

    fn dec(s: &str, mode: Base64Mode) -> Result<([u8; 64], usize), DecodeError> {
        let mut out = [0u8; 64];
        let n = decode_public(s.as_bytes(), &mut out, mode)?;
        Ok((out, n))
    }

    #[test]
    fn decodes_every_length_in_both_decoders() {
        let data: [u8; 40] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        for n in 0..=data.len() {
            let mut enc = [0u8; 64];
            let s = base64ct::Base64::encode(&data[..n], &mut enc).unwrap();
            let (out, len) = dec(s, Base64Mode::Strict).unwrap();
            assert_eq!(&out[..len], &data[..n]);
            let mut inplace = [0u8; 64];
            inplace[..s.len()].copy_from_slice(s.as_bytes());
            let len = decode_in_place(&mut inplace[..s.len()], Base64Mode::Repair).unwrap();
            assert_eq!(&inplace[..len], &data[..n]);
        }
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        assert_eq!(dec("QQ==", Base64Mode::Strict).unwrap().1, 1);
        assert_eq!(dec("QR==", Base64Mode::Strict), Err(DecodeError::Invalid));
        assert_eq!(dec("QR", Base64Mode::Repair), Err(DecodeError::Invalid));
    }

    #[test]
    fn reports_length_when_output_is_too_small() {
        let mut out = [0u8; 2];
        assert_eq!(
            decode_public(b"QUJD", &mut out, Base64Mode::Strict),
            Err(DecodeError::TooLong(3))
        );
        // Every place the general decoder writes: 32 and 8 characters at a time, a whole group,
        // and a final group of one or two bytes; each one byte short, in both decoders (the
        // in-place one cannot be short). (cargo-mutants: `fits &=` → `|=` survived at each.)
        let long = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZn"; // 44 characters, 33 bytes
        for (text, len) in [
            (&long[..], 33),
            (&long[..32], 24),
            (&long[..8], 6),
            (&b"QQ=="[..], 1),
            (&b"QUI="[..], 2),
            (&b"QUJDQQ=="[..], 4),
            (&b"QUJDQUI="[..], 5),
        ] {
            for mode in [Base64Mode::Strict, Base64Mode::Repair] {
                let mut out = [0u8; 64];
                assert_eq!(decode_public(text, &mut out, mode), Ok(len));
                let mut short = [0u8; 64];
                assert_eq!(
                    decode_public(text, &mut short[..len - 1], mode),
                    Err(DecodeError::TooLong(len)),
                    "{text:?} {mode:?}"
                );
            }
        }
    }

    /// The bound on decoded bytes is exact: `len` characters carry at most `len * 6 / 8` bytes.
    #[test]
    fn decoded_len_max_is_exact() {
        for len in 0..=400 {
            assert_eq!(decoded_len_max(len), len * 6 / 8, "{len}");
        }
    }

    #[test]
    fn block16_repairs_without_changing_the_value() {
        let k = decode_block16(b"tiihtNczf5v6AKRyjwEUhQ==", Base64Mode::Strict).unwrap();
        assert_eq!(
            decode_block16(b"tiihtNczf5v6AKRyjwEUhQ", Base64Mode::Repair),
            Some(k)
        );
        assert_eq!(
            decode_block16(b"tiihtNczf5v6AKRyjwEUhQ", Base64Mode::Strict),
            None
        );
        let p = decode_block16(b"IBd/IJsXb71Mn4EGUbk4FA==", Base64Mode::Strict).unwrap();
        assert_eq!(
            decode_block16(b"IBd_IJsXb71Mn4EGUbk4FA==", Base64Mode::Repair),
            Some(p)
        );
        assert_eq!(
            decode_block16(b"IBd_IJsXb71Mn4EGUbk4FA==", Base64Mode::Strict),
            None
        );
        assert_eq!(
            decode_block16(b"tiihtNczf5v6AKRyjwEUhQ=", Base64Mode::Repair),
            Some(k)
        );
        assert_eq!(
            decode_block16(b"tiihtNczf5v6AKRyjwEUhQ===", Base64Mode::Repair),
            None
        );
        assert_eq!(
            decode_block16(b"tiihtNczf5v6AKRyjwEUhQ==QQ", Base64Mode::Repair),
            None
        );
        assert_eq!(
            decode_block16(b"tiihtNczf5v6AKRyjwEUhR==", Base64Mode::Strict),
            None
        );
    }

    /// The fast block decoder accepts exactly the standard alphabet and agrees with the
    /// character-at-a-time table decoder (whichever form of it this build compiled).
    #[test]
    fn decode32_agrees_with_the_table_on_every_byte_at_every_position() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let reference = |block: &[u8; 32]| -> Option<[u8; 24]> {
            let mut acc = [0u8; 24];
            for (o, q) in acc.chunks_exact_mut(3).zip(block.chunks_exact(4)) {
                let mut g = 0u32;
                for &c in q {
                    let v = STRICT_TABLE[usize::from(c)];
                    if v == INVALID {
                        return None;
                    }
                    g = (g << 6) | u32::from(v);
                }
                o.copy_from_slice(&g.to_be_bytes()[1..]);
            }
            Some(acc)
        };
        let mut block: [u8; 32] = core::array::from_fn(|i| alphabet[(i * 29 + 5) % 64]);
        assert!(decode32(&block).is_some());
        for pos in 0..32 {
            let saved = block[pos];
            for b in 0..=255u8 {
                block[pos] = b;
                assert_eq!(decode32(&block), reference(&block), "byte {b} at {pos}");
            }
            block[pos] = saved;
        }
        for start in 0..64 {
            let block: [u8; 32] = core::array::from_fn(|i| alphabet[(start + i * 7) % 64]);
            assert_eq!(decode32(&block), reference(&block));
        }
        // Two, three and four wrong characters in one group of four: their marks must not
        // cancel out (cargo-mutants: `|` for `^` in combining the four table words survived).
        for quad in 0..8 {
            for wrong in [b'!', b'=', b'-', 0x80, 0xFF] {
                for count in 2..=4 {
                    let mut bad = block;
                    for c in &mut bad[quad * 4..quad * 4 + count] {
                        *c = wrong;
                    }
                    assert_eq!(decode32(&bad), None, "{count} x {wrong} in group {quad}");
                }
            }
        }
    }

    /// Characters after the padding are refused, however many follow, including as many as the
    /// 8- and 32-character fast paths take at once.
    #[test]
    fn refuses_data_after_padding() {
        for head in [&b"QQ=="[..], b"QUI=", b"QQ="] {
            for n in [4, 8, 12, 32, 40] {
                let mut buf = [0u8; 48];
                let (front, back) = buf.split_at_mut(head.len());
                front.copy_from_slice(head);
                for (i, c) in back[..n].iter_mut().enumerate() {
                    *c = b"QUJD"[i % 4];
                }
                let text = core::str::from_utf8(&buf[..head.len() + n]).unwrap();
                for mode in [Base64Mode::Repair, Base64Mode::Strict] {
                    assert_eq!(
                        dec(text, mode),
                        Err(DecodeError::Invalid),
                        "{text} {mode:?}"
                    );
                }
            }
        }
    }

    /// The 24-character fast path of the key decoder (`decode24`) agrees with the
    /// character-by-character path on every byte at every position, in both modes: on a text in
    /// WeChat's form (22 characters that are neither '=' nor skipped whitespace, then "==") it
    /// gives the same result, so a well-formed key never leaves the fast path; on any other
    /// form it declines, and the whole decoder still gives the general path's result.
    #[test]
    fn decode24_agrees_with_the_general_path_on_every_byte_at_every_position() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let check = |text: &[u8; 24], mode: Base64Mode| {
            let general = decode_block16_unescaped(text, mode);
            let wechat_form =
                text[22..] == *b"==" && text[..22].iter().all(|&c| c != b'=' && !mode.skips(c));
            let fast = if wechat_form { general } else { None };
            assert_eq!(decode24(text, mode), fast, "{text:?} {mode:?}");
            // The public decoder (the IV's) reads the same grammar.
            let mut public = [0u8; 16];
            let public = match decode_public(text, &mut public, mode) {
                Ok(16) => Some(public),
                _ => None,
            };
            assert_eq!(general, public, "{text:?} {mode:?}");
            assert_eq!(decode_block16(text, mode), general, "{text:?} {mode:?}");
        };
        for start in 0..64 {
            let mut text: [u8; 24] = core::array::from_fn(|i| alphabet[(start + i * 29) % 64]);
            // Canonical: the last data character's 4 unused bits zero.
            text[21] = alphabet[(start % 4) * 16];
            text[22] = b'=';
            text[23] = b'=';
            for mode in [Base64Mode::Repair, Base64Mode::Strict] {
                assert!(decode24(&text, mode).is_some(), "{start}");
                check(&text, mode);
                for pos in 0..24 {
                    let mut t = text;
                    for b in 0..=255u8 {
                        t[pos] = b;
                        check(&t, mode);
                    }
                }
                // A wrong "==" must not cancel out against a wrong character or a non-canonical
                // last character (cargo-mutants: `^` for `|` in OR-ing the three checks
                // survived): the tail's bits meet the lanes' high bits (7, 15) and the last
                // character's unused bits (12 to 15).
                for n in 1..16u8 {
                    let mut t = text;
                    t[21] = alphabet[usize::from(n)];
                    t[23] = b'=' ^ (n << 4);
                    assert_eq!(decode24(&t, mode), None, "{t:?}");
                    check(&t, mode);
                }
                for (lane, tail) in [(0, 22), (1, 23)] {
                    for word in 0..3 {
                        let mut t = text;
                        t[word * 8 + lane] = 0x80 | b'A';
                        t[tail] = b'=' ^ 0x80;
                        assert_eq!(decode24(&t, mode), None, "{t:?}");
                        check(&t, mode);
                    }
                }
                // Wrong characters in the same lane of two or three words: their marks must not
                // cancel out (cargo-mutants: `^` for `|` in OR-ing the words' masks survived).
                for lane in 0..6 {
                    for wrong in [b'!', b'=', b'\n', 0x80, 0xFF] {
                        for words in [&[0, 1][..], &[0, 2], &[1, 2], &[0, 1, 2]] {
                            let mut t = text;
                            for w in words {
                                t[w * 8 + lane] = wrong;
                            }
                            assert_eq!(decode24(&t, mode), None, "{t:?}");
                            check(&t, mode);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn ct_eq_matches_equality() {
        for a in 0..=255u8 {
            for b in [0u8, b' ', b'-', b'_', 255] {
                assert_eq!(ct_eq(a, b) == 0xFF, a == b);
                assert!(ct_eq(a, b) == 0 || ct_eq(a, b) == 0xFF);
            }
        }
    }

    /// Percent-encoded '+', '/', '=' are undone in repair mode, in every input, and refused in
    /// strict mode; any other '%' sequence is an error.
    #[test]
    fn percent_escapes_are_repaired() {
        let key = [
            0xFBu8, 0xEF, 0xFF, 0x3E, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xA0,
            0xB0, 0xFF,
        ];
        let mut buf = [0u8; 24];
        let text = std::string::String::from(base64ct::Base64::encode(&key, &mut buf).unwrap());
        assert!(
            text.contains('+') && text.contains('/') && text.ends_with("=="),
            "{text}"
        );
        let encoded = text
            .replace('+', "%2B")
            .replace('/', "%2f")
            .replace('=', "%3D");
        assert_ne!(encoded, text);
        assert_eq!(
            decode_block16(encoded.as_bytes(), Base64Mode::Repair),
            Some(key)
        );
        assert_eq!(decode_block16(encoded.as_bytes(), Base64Mode::Strict), None);
        let mut out = [0u8; 16];
        assert_eq!(
            decode_public(encoded.as_bytes(), &mut out, Base64Mode::Repair),
            Ok(16)
        );
        assert_eq!(out, key);
        assert_eq!(
            decode_public(encoded.as_bytes(), &mut out, Base64Mode::Strict),
            Err(DecodeError::Invalid)
        );
        let mut buf = encoded.clone().into_bytes();
        assert_eq!(decode_in_place(&mut buf, Base64Mode::Repair), Ok(16));
        assert_eq!(buf[..16], key);
        // Lower-case escapes, every kind, in the key.
        let lower = text
            .replace('+', "%2b")
            .replace('/', "%2F")
            .replace('=', "%3d");
        assert_eq!(
            decode_block16(lower.as_bytes(), Base64Mode::Repair),
            Some(key)
        );
        // A wrong escape where a '+' or '/' stands is refused, not read as one of them.
        for wrong in ["%2C", "%2G", "%2b%", "%3B", "%2E", "%20", "%2a"] {
            for data_char in ['+', '/'] {
                let t = text.replacen(data_char, wrong, 1).replace('=', "%3D");
                assert_eq!(
                    decode_block16(t.as_bytes(), Base64Mode::Repair),
                    None,
                    "{t}"
                );
            }
        }
        // An escaped text is read up to 32 characters once its escapes are undone (24, and room
        // for 8 of whitespace).
        let spaced = std::format!("{encoded}{}", "\n".repeat(8));
        assert_eq!(
            decode_block16(spaced.as_bytes(), Base64Mode::Repair),
            Some(key)
        );
        let too_long = std::format!("{spaced}\n");
        assert_eq!(
            decode_block16(too_long.as_bytes(), Base64Mode::Repair),
            None
        );
        // And up to 72 characters as written: all ones is 21 '/', a 'w' and "==" (70 encoded).
        let ones = std::format!("{}w%3D%3D", "%2F".repeat(21));
        assert_eq!(ones.len(), 70);
        for (spaces, read) in [(2, true), (3, false)] {
            let t = std::format!("{ones}{}", "\n".repeat(spaces));
            let want = read.then_some([0xFF; 16]);
            assert_eq!(
                decode_block16(t.as_bytes(), Base64Mode::Repair),
                want,
                "{}",
                t.len()
            );
        }
        for bad in ["%2C", "%2", "%", "%%2B", "%20", "%2G", "%3d%3"] {
            let t = text.replacen('=', bad, 1);
            assert_eq!(
                decode_block16(t.as_bytes(), Base64Mode::Repair),
                None,
                "{t}"
            );
            assert!(
                decode_public(t.as_bytes(), &mut out, Base64Mode::Repair).is_err(),
                "{t}"
            );
        }
    }
}
