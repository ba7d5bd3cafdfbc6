//! A strict (RFC 8259) JSON reader that needs no allocation, no recursion and cannot panic.
//!
//! It reads values in place: strings come back as raw slices ([`JsonStr`]) compared after
//! unescaping, integers as `i64`, and any value the caller does not want is skipped with full
//! validation (nesting is tracked in a 128-level bit stack instead of recursion, so the stack use
//! is fixed whatever the input).

/// The input is not JSON, or not the JSON the caller asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Malformed;

pub(crate) type Result<T> = core::result::Result<T, Malformed>;

/// Deepest nesting [`Parser::skip_value`] accepts.
const MAX_DEPTH: u32 = 128;

/// A string as it stands in the JSON text, between the quotes (escapes already validated).
#[derive(Clone, Copy, Debug)]
pub(crate) struct JsonStr<'a> {
    raw: &'a [u8],
    escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// A string without escapes whose bytes the caller has checked: printable ASCII only (no
    /// `"`, no `\\`, no control character).
    pub(crate) fn plain(raw: &'a [u8]) -> Self {
        JsonStr {
            raw,
            escaped: false,
        }
    }

    /// A string whose bytes a validating reader has checked (`escaped`: it has a backslash).
    #[cfg_attr(not(target_os = "none"), allow(dead_code))]
    pub(crate) fn new(raw: &'a [u8], escaped: bool) -> Self {
        JsonStr { raw, escaped }
    }

    /// The text between the quotes, escapes as written.
    #[cfg(test)]
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether the string, unescaped, equals `expected` byte for byte.
    pub(crate) fn equals(&self, expected: &[u8]) -> bool {
        if !self.escaped {
            return self.raw == expected;
        }
        let mut rest = expected;
        let mut raw = self.raw;
        while let Some((&c, tail)) = raw.split_first() {
            raw = tail;
            let mut utf8 = [0u8; 4];
            let bytes: &[u8] = if c == b'\\' {
                let Some((ch, tail)) = unescape(raw) else {
                    return false;
                };
                raw = tail;
                ch.encode_utf8(&mut utf8).as_bytes()
            } else {
                core::slice::from_ref(&c)
            };
            match rest.strip_prefix(bytes) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

/// Decodes one escape (the text after a backslash): the character and the rest of the text.
/// `None` for a lone surrogate, which has no UTF-8 form.
fn unescape(raw: &[u8]) -> Option<(char, &[u8])> {
    let (&kind, rest) = raw.split_first()?;
    let simple = match kind {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let (unit, rest) = hex4(rest)?;
            if (0xD800..0xDC00).contains(&unit) {
                let rest = rest.strip_prefix(b"\\u")?;
                let (low, rest) = hex4(rest)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return Some((char::from_u32(code)?, rest));
            }
            return Some((char::from_u32(unit)?, rest));
        }
        _ => return None,
    };
    Some((simple, rest))
}

fn hex4(raw: &[u8]) -> Option<(u32, &[u8])> {
    let digits = raw.get(..4)?;
    let mut v = 0u32;
    for &d in digits {
        v = (v << 4) | char::from(d).to_digit(16)?;
    }
    Some((v, raw.get(4..)?))
}

/// Whether `text` is the beginning of a JSON object or array cut short: the reader ran out of
/// text without meeting a wrong byte. Complete text, and text that goes wrong before its end, is
/// not. (For diagnosis only: a byte that is wrong only because it is the last one can pass.)
pub(crate) fn is_truncated(text: &[u8]) -> bool {
    let mut parser = Parser::new(text);
    matches!(parser.peek_token(), Some(b'{' | b'['))
        && parser.skip_value().is_err()
        && parser.pos >= text.len()
}

/// A cursor over JSON text.
pub(crate) struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Self {
        Parser { text, pos: 0 }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    #[inline]
    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    /// Skips JSON whitespace and returns the next byte without consuming it.
    #[inline]
    pub(crate) fn peek_token(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
        self.peek()
    }

    /// Consumes `c` (after whitespace) or fails.
    #[inline]
    pub(crate) fn expect(&mut self, c: u8) -> Result<()> {
        if self.peek_token() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(Malformed)
        }
    }

    /// Consumes `c` (after whitespace) if it is next.
    #[inline]
    fn eat(&mut self, c: u8) -> bool {
        let next = self.peek_token() == Some(c);
        if next {
            self.bump();
        }
        next
    }

    /// Succeeds when only whitespace is left.
    pub(crate) fn end(&mut self) -> Result<()> {
        match self.peek_token() {
            None => Ok(()),
            Some(_) => Err(Malformed),
        }
    }

    /// Reads an object, handing each key to `member`, which must consume the value.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(JsonStr<'a>, &mut Self) -> Result<()>,
    ) -> Result<()> {
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            member(key, self)?;
            if !self.eat(b',') {
                return self.expect(b'}');
            }
        }
    }

    /// Reads an array, calling `element` for each element, which must consume it.
    pub(crate) fn array(&mut self, mut element: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.expect(b'[')?;
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            element(self)?;
            if !self.eat(b',') {
                return self.expect(b']');
            }
        }
    }

    /// Reads a string.
    pub(crate) fn string(&mut self) -> Result<JsonStr<'a>> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut escaped = false;
        let mut ascii = true;
        loop {
            let c = self.peek().ok_or(Malformed)?;
            self.bump();
            match c {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    let kind = self.peek().ok_or(Malformed)?;
                    self.bump();
                    match kind {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            for _ in 0..4 {
                                if !self.peek().ok_or(Malformed)?.is_ascii_hexdigit() {
                                    return Err(Malformed);
                                }
                                self.bump();
                            }
                        }
                        _ => return Err(Malformed),
                    }
                }
                0x00..=0x1F => return Err(Malformed),
                0x80..=0xFF => ascii = false,
                _ => {}
            }
        }
        let raw = self
            .text
            .get(start..self.pos.saturating_sub(1))
            .ok_or(Malformed)?;
        if !ascii && core::str::from_utf8(raw).is_err() {
            return Err(Malformed);
        }
        Ok(JsonStr { raw, escaped })
    }

    /// Reads a number that must be an integer in `i64` (no fraction, no exponent).
    pub(crate) fn int(&mut self) -> Result<i64> {
        let negative = self.eat(b'-');
        let mut magnitude = 0u64;
        let first = self.peek().ok_or(Malformed)?;
        if !first.is_ascii_digit() {
            return Err(Malformed);
        }
        if first == b'0' {
            self.bump();
        } else {
            while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
                magnitude = magnitude
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(u64::from(d - b'0')))
                    .ok_or(Malformed)?;
                self.bump();
            }
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E' | b'0'..=b'9')) {
            return Err(Malformed);
        }
        if negative {
            // "-0" is a JSON number but no integer werun reads (JSON readers disagree on it:
            // some give the float -0.0): refused.
            if magnitude == 0 {
                return Err(Malformed);
            }
            0i64.checked_sub_unsigned(magnitude).ok_or(Malformed)
        } else {
            i64::try_from(magnitude).map_err(|_| Malformed)
        }
    }

    /// Reads and discards any one value, validating it fully.
    pub(crate) fn skip_value(&mut self) -> Result<()> {
        // Bit `d` of `objects` tells whether nesting level `d` is an object (else an array).
        let mut objects = 0u128;
        let mut depth = 0u32;
        loop {
            // A value starts here.
            match self.peek_token().ok_or(Malformed)? {
                open @ (b'{' | b'[') => {
                    self.bump();
                    if depth >= MAX_DEPTH {
                        return Err(Malformed);
                    }
                    let is_object = open == b'{';
                    objects = (objects << 1) | u128::from(is_object);
                    depth += 1;
                    let close = if is_object { b'}' } else { b']' };
                    if !self.eat(close) {
                        if is_object {
                            self.string()?;
                            self.expect(b':')?;
                        }
                        continue;
                    }
                    objects >>= 1;
                    depth -= 1;
                }
                b'"' => {
                    self.string()?;
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return Err(Malformed),
            }
            // A value ended: close containers until one continues with another element.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let is_object = objects & 1 == 1;
                if self.eat(b',') {
                    if is_object {
                        self.string()?;
                        self.expect(b':')?;
                    }
                    break;
                }
                self.expect(if is_object { b'}' } else { b']' })?;
                objects >>= 1;
                depth -= 1;
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        let end = self.pos.checked_add(word.len()).ok_or(Malformed)?;
        if self.text.get(self.pos..end) != Some(word) {
            return Err(Malformed);
        }
        self.pos = end;
        Ok(())
    }

    /// Any JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<()> {
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Malformed),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            self.digits1()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            self.digits1()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
    }

    fn digits1(&mut self) -> Result<()> {
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(Malformed);
        }
        self.digits();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every escape JSON has is undone when an escaped string is compared (an appid written
    /// with escapes must still match, and nothing else may).
    #[test]
    fn escaped_strings_compare_unescaped() {
        let raw = br#"q\"b\\s\/b\bf\fn\nr\rt\tu\u0041\ud83d\ude00"#;
        let s = JsonStr { raw, escaped: true };
        assert!(s.equals("q\"b\\s/b\u{8}f\u{c}n\nr\rt\tuA\u{1F600}".as_bytes()));
        for (escape, meaning) in [
            (&br#"\""#[..], &b"\""[..]),
            (br#"\\"#, b"\\"),
            (br#"\/"#, b"/"),
            (br#"\b"#, b"\x08"),
            (br#"\f"#, b"\x0c"),
            (br#"\n"#, b"\n"),
            (br#"\r"#, b"\r"),
            (br#"\t"#, b"\t"),
        ] {
            let one = JsonStr {
                raw: escape,
                escaped: true,
            };
            assert!(one.equals(meaning), "{escape:?}");
            // Not compared as written (for the escapes whose letter is not their meaning).
            if &escape[1..] != meaning {
                assert!(!one.equals(&escape[1..]), "{escape:?} compared as written");
            }
            assert!(!one.equals(escape), "{escape:?} compared raw");
        }
    }

    fn skips(text: &str) -> bool {
        let mut p = Parser::new(text.as_bytes());
        p.skip_value().is_ok() && p.end().is_ok()
    }

    #[test]
    fn skip_value_accepts_valid_json() {
        for t in [
            "0",
            "-0",
            "1.5e-3",
            "-12E+4",
            "\"a\\u00e9\\n\"",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            " [1, [2, {\"a\": [ ]}], {\"b\": {\"c\": null}}] ",
            "{\"a\":1,\"b\":[true,false]}",
        ] {
            assert!(skips(t), "{t}");
        }
    }

    #[test]
    fn skip_value_rejects_invalid_json() {
        for t in [
            "",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "[",
            "]",
            "{\"a\":1]",
            "[1}",
            "tru",
            "nul",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\nb\"",
            "\"abc",
            "[1],",
            "{\"a\":}",
        ] {
            assert!(!skips(t), "{t}");
        }
    }

    #[test]
    fn skip_value_limits_nesting() {
        let deep = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(skips(&deep(128)));
        assert!(!skips(&deep(129)));
    }

    #[test]
    fn int_reads_only_integers_in_range() {
        let int = |t: &str| Parser::new(t.as_bytes()).int();
        assert_eq!(int("0"), Ok(0));
        assert_eq!(int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(int("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(int("9223372036854775808"), Err(Malformed));
        assert_eq!(int("-9223372036854775809"), Err(Malformed));
        for bad in ["01", "1.0", "1e3", "-", "", "x", "- 1"] {
            assert_eq!(int(bad), Err(Malformed), "{bad}");
        }
    }

    #[test]
    fn strings_compare_after_unescaping() {
        let s = |t: &'static str| Parser::new(t.as_bytes()).string().unwrap();
        assert!(s("\"wx4f\"").equals(b"wx4f"));
        assert!(s("\"w\\u0078\\/\"").equals(b"wx/"));
        assert!(s("\"\\ud83d\\ude00\"").equals("😀".as_bytes()));
        assert!(!s("\"\\ud83d\"").equals("\u{fffd}".as_bytes()));
        assert!(!s("\"wx\"").equals(b"wx4"));
        assert!(!s("\"w\\u0078\"").equals(b"w"));
        assert!(Parser::new(b"\"\xff\"").string().is_err());
    }
}
