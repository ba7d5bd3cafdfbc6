//! Base64 as WeChat payloads arrive at a backend: repaired by default, strict on request.
//!
//! Two decoders share one grammar:
//! * [`decode_block16`] for the 16-byte `session_key` and `iv`: the secret is decoded by
//!   `base64ct` (constant time); the repair step before it maps characters without branching on
//!   their value.
//! * [`decode_public`] / [`decode_in_place`] for `encryptedData`, which is public (it crosses the
//!   network in the clear): an 8-characters-at-a-time table decoder, falling back to a
//!   character-at-a-time path for whitespace, padding and the final partial group.

use base64ct::Encoding as _;

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
pub(crate) fn decode_block16(input: &[u8], mode: Base64Mode) -> Option<[u8; 16]> {
    // 16 bytes are 22 data characters and "==". The text is as secret as the key: both buffers
    // are wiped when they go out of scope, on every path.
    let mut canonical = zeroize::Zeroizing::new([b'='; 24]);
    let mut data = 0usize;
    let mut padding = 0usize;
    for &c in input {
        if mode.skips(c) {
            continue;
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 || data >= 22 {
            return None;
        }
        let c = match mode {
            // Branch-free on the character's value: ' ' and '-' become '+', '_' becomes '/'.
            Base64Mode::Repair => {
                let plus = ct_eq(c, b' ') | ct_eq(c, b'-');
                let slash = ct_eq(c, b'_');
                (c & !(plus | slash)) | (b'+' & plus) | (b'/' & slash)
            }
            Base64Mode::Strict => c,
        };
        *canonical.get_mut(data)? = c;
        data += 1;
    }
    let padding_ok = match mode {
        Base64Mode::Repair => padding <= 2,
        Base64Mode::Strict => padding == 2,
    };
    if data != 22 || !padding_ok {
        return None;
    }
    let mut out = zeroize::Zeroizing::new([0u8; 16]);
    let decoded = base64ct::Base64::decode(&*canonical, &mut *out).map(|d| d.len());
    (decoded == Ok(16)).then_some(*out)
}

/// `0xFF` when `a == b`, else `0`, without a data-dependent branch.
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
    decode(&mut Split { input, out }, mode)
}

/// Decodes `buf` in place (the decoded bytes start at `buf[0]`), returning the decoded length.
/// On failure the buffer's content is unspecified (partly decoded).
pub(crate) fn decode_in_place(buf: &mut [u8], mode: Base64Mode) -> Result<usize, DecodeError> {
    decode(&mut InPlace { buf }, mode)
}

/// Where the decoder reads characters and writes bytes. The write position never passes the
/// read position, so one buffer can be both.
trait Io {
    fn input_len(&self) -> usize;
    fn read(&self, at: usize) -> Option<u8>;
    fn read8(&self, at: usize) -> Option<[u8; 8]>;
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
            dst.copy_from_slice(bytes);
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
        // Fast path: 8 plain alphabet characters at a group boundary.
        if pending == 0 && padding == 0 {
            if let Some(bytes) = io.read8(read).and_then(|c| decode8(table, c)) {
                fits &= io.write(written, &bytes);
                read += 8;
                written += 6;
                continue;
            }
        }
        let c = io.read(read).ok_or(DecodeError::Invalid)?;
        read += 1;
        if mode.skips(c) {
            continue;
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

    #[test]
    fn ct_eq_matches_equality() {
        for a in 0..=255u8 {
            for b in [0u8, b' ', b'-', b'_', 255] {
                assert_eq!(ct_eq(a, b) == 0xFF, a == b);
                assert!(ct_eq(a, b) == 0 || ct_eq(a, b) == 0xFF);
            }
        }
    }
}
