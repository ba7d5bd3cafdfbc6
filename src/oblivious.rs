//! A data-oblivious reader of the JSON werun accepts: one pass over every byte of the decrypted
//! buffer, the same instructions whatever the bytes are.
//!
//! # Why
//!
//! CBC has no integrity check and the client chooses the iv, so an attacker controls the
//! plaintext of a block byte for byte without knowing it (`D_K(X) ^ iv`). A reader that stops at
//! the first wrong byte takes longer the further the plaintext gets, which tells the attacker
//! which of its guesses made the plaintext start like JSON: a format oracle, as good as a padding
//! oracle for recovering `D_K(X)` and forging payloads (issue 24, `docs/security.md`).
//!
//! This reader is a pushdown automaton run over the whole buffer with no branch and no memory
//! access that depends on the bytes: every byte goes through the same straight-line update of a
//! fixed set of registers (the grammar state, a 128-level bit stack for skipped values, the
//! UTF-8 state, the key being read, the integer being read, the shape checks), and bytes past
//! the message (the padding, whose length is secret when the call fails) are read as spaces. Its
//! verdict is the only thing a caller branches on, and only after combining it with the padding
//! verdict: a failed call does the same work whatever the plaintext.
//!
//! It accepts exactly what the strict reader ([`crate::payload::parse_werun_general`],
//! [`crate::payload::parse_open_data`]) accepts (RFC 8259 JSON, one root object, the WeRun
//! shape when asked, fields werun reads at most once, integers in range), checked by proptests
//! against that reader and `serde_json`.
//!
//! With `EXTRACT`, it also collects what the strict reader returns (the entries, the watermark's
//! timestamp and where its appid stands), still without a branch on the data, but with stores
//! into `out` at the index of the entry being closed (an address that depends on the data).
//! Bare metal (no data cache on the targets werun is built for: the address does not change
//! the time) uses that form alone; hosted builds run the oblivious check without `EXTRACT` and
//! read a document only once it is known to be valid.

use crate::StepInfo;

// The grammar state: what the next byte may be.
const START: u32 = 0; // before the root object
const VAL: u32 = 1; // a value
const OBJ0: u32 = 2; // after '{': a key or '}'
const KEY: u32 = 3; // after ',' in an object: a key
const COLON: u32 = 4; // after a key
const AFTER: u32 = 5; // after a value: ',' or the closer
const ARR0: u32 = 6; // after '[': a value or ']'
const STR: u32 = 7; // in a string
const ESC: u32 = 8; // after '\' in a string
const HEX: u32 = 9; // in the four digits of "\u"
const MINUS: u32 = 10; // after '-'
const ZERO: u32 = 11; // after a leading '0'
const INT: u32 = 12; // in the integer digits
const DOT: u32 = 13; // after '.'
const FRAC: u32 = 14; // in the fraction digits
const EXP: u32 = 15; // after 'e' or 'E'
const ESIGN: u32 = 16; // after the exponent's sign
const EXPD: u32 = 17; // in the exponent digits
const LIT: u32 = 18; // in "true", "false" or "null"
const END: u32 = 19; // after the root object

// The innermost container that werun reads (skipped values nest below it).
const C_NONE: u32 = 0;
const C_ROOT: u32 = 1;
const C_WM: u32 = 2;
const C_LIST: u32 = 3;
const C_ENTRY: u32 = 4;

// What the next value must be.
const W_ANY: u32 = 0;
const W_WM: u32 = 1; // the watermark object
const W_LIST: u32 = 2; // the stepInfoList array
const W_ENTRY: u32 = 3; // an entry object
const W_WM_TS: u32 = 4; // watermark.timestamp: i64
const W_APPID: u32 = 5; // watermark.appid: a string
const W_ENT_TS: u32 = 6; // entry timestamp: i64
const W_STEP: u32 = 7; // entry step: u32

/// Deepest nesting of a skipped value (as [`crate::json::Parser::skip_value`]).
const MAX_SKIP_DEPTH: u32 = 128;

/// The keys werun reads, as the key register holds them (the first character highest).
const fn key(word: &[u8]) -> u128 {
    let mut v = 0u128;
    let mut rest = word;
    while let [first, tail @ ..] = rest {
        v = (v << 8) | *first as u128;
        rest = tail;
    }
    v
}
const K_WATERMARK: u128 = key(b"watermark");
const K_STEP_LIST: u128 = key(b"stepInfoList");
const K_TIMESTAMP: u128 = key(b"timestamp");
const K_STEP: u128 = key(b"step");
const K_APPID: u128 = key(b"appid");

/// What a pass found. Every field is computed for every input; only `valid` may be acted on
/// before it is combined with the padding verdict.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scan {
    /// The document is one the strict reader accepts.
    pub(crate) valid: bool,
    /// `EXTRACT` only: the number of entries of `stepInfoList`.
    #[cfg_attr(not(any(test, target_os = "none")), allow(dead_code))]
    pub(crate) count: usize,
    /// `EXTRACT` only: the watermark, as (timestamp, appid start, appid end, appid has escapes).
    pub(crate) watermark: Option<(i64, usize, usize, bool)>,
}

/// The conditions below are masks: all ones (true) or all zeros (false). A `bool` as a mask.
#[inline(always)]
fn mb(b: bool) -> u32 {
    0u32.wrapping_sub(u32::from(b))
}

/// `a` where `mask` is all ones, else `b`.
#[inline(always)]
fn sel(mask: u32, a: u32, b: u32) -> u32 {
    b ^ ((a ^ b) & mask)
}

#[inline(always)]
fn sel64(mask: u32, a: u64, b: u64) -> u64 {
    let mask = u64::from(mask) | (u64::from(mask) << 32);
    b ^ ((a ^ b) & mask)
}

#[inline(always)]
fn sel128(mask: u32, a: u128, b: u128) -> u128 {
    let half = u128::from(sel64(mask, u64::MAX, 0));
    b ^ ((a ^ b) & ((half << 64) | half))
}

/// `a == b` (branch-free for any `a`, `b`).
#[inline(always)]
fn eq(a: u32, b: u32) -> u32 {
    ((u64::from(a ^ b).wrapping_sub(1)) >> 32) as u32
}

/// `a < b`.
#[inline(always)]
fn lt(a: u32, b: u32) -> u32 {
    ((u64::from(a).wrapping_sub(u64::from(b))) >> 32) as u32
}

/// `lo <= c <= hi`.
#[inline(always)]
fn within(c: u32, lo: u32, hi: u32) -> u32 {
    lt(c.wrapping_sub(lo), hi - lo + 1)
}

/// Reads `buf[..len]` (a WeRun document when `werun`, else any open data), touching every byte
/// of `buf` the same way: see the module documentation. `len <= buf.len()` is the message
/// length (secret when the padding verdict is); the rest of `buf` is read as spaces.
#[inline(never)]
pub(crate) fn scan<const EXTRACT: bool>(
    buf: &[u8],
    len: usize,
    werun: bool,
    out: &mut [StepInfo],
) -> Scan {
    let werun = mb(werun);
    let mut err = 0u32;
    let mut st = START;
    let mut ctx = C_NONE;
    let mut want = W_ANY;
    // Skipped containers: depth and kinds (bit 0 the innermost; 1 = object).
    let mut skip_depth = 0u32;
    let mut skip_stack = 0u128;
    // Strings.
    let mut is_key = 0u32;
    let mut hex_left = 0u32;
    let mut hex = 0u32;
    let mut key_buf = 0u128;
    let mut key_len = 0u32;
    let mut key_odd = 0u32; // a character no key has (non-ASCII)
                            // UTF-8: continuation bytes still needed and the range of the next one.
    let mut need = 0u32;
    let mut lo = 0x80u32;
    let mut hi = 0xBFu32;
    // Numbers and literals.
    let mut int_mode = 0u32; // 1 when the number is one of the integers werun reads
    let mut neg = 0u32;
    let mut mag = 0u64;
    let mut digits = 0u32;
    let mut lit = 0u32;
    // Shape: fields seen once.
    let mut seen_list = 0u32;
    let mut seen_wm = 0u32;
    let mut wm_ts_seen = 0u32;
    let mut wm_appid_seen = 0u32;
    let mut ent_ts_seen = 0u32;
    let mut ent_step_seen = 0u32;
    // EXTRACT: what the strict reader returns.
    let mut count = 0u64;
    let mut ent_ts = 0u64;
    let mut ent_step = 0u32;
    let mut wm_ts = 0u64;
    let mut appid_start = 0u64;
    let mut appid_end = 0u64;
    let mut appid_esc = 0u32;
    let mut str_esc = 0u32;
    let mut str_start = 0u64;
    let cap = out.len() as u64;

    for (i, &byte) in buf.iter().enumerate() {
        let live = mb(i < len);
        let c = sel(live, u32::from(byte), u32::from(b' '));

        // The byte's classes (0 or 1).
        let ws = eq(c, 0x20) | eq(c, 0x09) | eq(c, 0x0A) | eq(c, 0x0D);
        let quote = eq(c, 0x22);
        let bslash = eq(c, 0x5C);
        let lbrace = eq(c, 0x7B);
        let rbrace = eq(c, 0x7D);
        let lbrack = eq(c, 0x5B);
        let rbrack = eq(c, 0x5D);
        let colon = eq(c, 0x3A);
        let comma = eq(c, 0x2C);
        let minus = eq(c, 0x2D);
        let plus = eq(c, 0x2B);
        let dot = eq(c, 0x2E);
        let e = eq(c | 0x20, 0x65);
        let digit = within(c, 0x30, 0x39);
        let d = c.wrapping_sub(0x30) & 0xF;
        let zero = eq(c, 0x30);
        let lower = c | 0x20;
        let hexletter = within(lower, 0x61, 0x66);
        let hexdigit = digit | hexletter;
        let hexval = sel(digit, d, lower.wrapping_sub(0x61 - 10) & 0xF);
        let ctrl = lt(c, 0x20);

        // UTF-8, over the whole text (outside strings the grammar refuses non-ASCII anyway).
        let cont = mb(need != 0);
        let in_range = within(c, lo, hi);
        err |= cont & !in_range;
        let lead2 = within(c, 0xC2, 0xDF);
        let lead3 = within(c, 0xE0, 0xEF);
        let lead4 = within(c, 0xF0, 0xF4);
        let ascii = lt(c, 0x80);
        let start_ok = ascii | lead2 | lead3 | lead4;
        err |= !cont & !start_ok;
        let new_need = (lead2 & 1) | (lead3 & 2) | (lead4 & 3);
        let new_lo = sel(eq(c, 0xE0), 0xA0, sel(eq(c, 0xF0), 0x90, 0x80));
        let new_hi = sel(eq(c, 0xED), 0x9F, sel(eq(c, 0xF4), 0x8F, 0xBF));
        need = sel(cont, need.wrapping_sub(1), new_need);
        lo = sel(cont, 0x80, new_lo);
        hi = sel(cont, 0xBF, new_hi);

        // A number ends at the first byte that cannot continue it; that byte is then read as
        // the byte after a value.
        let s_zero = eq(st, ZERO);
        let s_int = eq(st, INT);
        let s_frac = eq(st, FRAC);
        let s_expd = eq(st, EXPD);
        let continues = (s_zero & (dot | e))
            | (s_int & (digit | dot | e))
            | (s_frac & (digit | e))
            | (s_expd & digit);
        let num_end = (s_zero | s_int | s_frac | s_expd) & !continues;
        // The integers werun reads: in range, and no "-0".
        let ending_int = num_end & int_mode;
        let limit = (i64::MAX as u64) + u64::from(neg & 1);
        let mut int_ok = mb(digits <= 19) & mb(mag <= limit);
        int_ok &= !(neg & mb(mag == 0));
        let is_step = eq(want, W_STEP);
        int_ok &= !is_step | (!neg & mb(mag <= u64::from(u32::MAX)));
        err |= ending_int & !int_ok;
        let value = if_neg(neg & 1, mag);
        ent_ts = sel64(ending_int & eq(want, W_ENT_TS), value, ent_ts);
        ent_step = sel(ending_int & is_step, mag as u32, ent_step);
        wm_ts = sel64(ending_int & eq(want, W_WM_TS), value, wm_ts);
        st = sel(num_end, AFTER, st);

        let s_start = eq(st, START);
        let s_val = eq(st, VAL);
        let s_obj0 = eq(st, OBJ0);
        let s_key = eq(st, KEY);
        let s_colon = eq(st, COLON);
        let s_after = eq(st, AFTER);
        let s_arr0 = eq(st, ARR0);
        let s_str = eq(st, STR);
        let s_esc = eq(st, ESC);
        let s_hex = eq(st, HEX);
        let s_minus = eq(st, MINUS);
        let s_dot = eq(st, DOT);
        let s_exp = eq(st, EXP);
        let s_esign = eq(st, ESIGN);
        let s_lit = eq(st, LIT);
        let s_end = eq(st, END);
        // (ZERO, INT and FRAC read their continuation bytes here; EXPD stays as it is.)
        let s_zero = eq(st, ZERO);
        let s_int = eq(st, INT);
        let s_frac = eq(st, FRAC);

        let in_skip = mb(skip_depth != 0);
        let skip_obj = 0u32.wrapping_sub((skip_stack & 1) as u32);
        let ctx_obj = eq(ctx, C_ROOT) | eq(ctx, C_WM) | eq(ctx, C_ENTRY);
        let in_obj = sel(in_skip, skip_obj, ctx_obj);
        let in_arr = sel(in_skip, !skip_obj, eq(ctx, C_LIST));

        let mut next = st;
        let mut bad = 0u32;

        // A value starts.
        let starts = (s_val | (s_arr0 & !rbrack)) & !ws;
        let w_any = eq(want, W_ANY);
        let w_int = eq(want, W_WM_TS) | eq(want, W_ENT_TS) | is_step;
        let open_obj = starts & lbrace;
        let open_arr = starts & lbrack;
        let open_str = starts & quote;
        let open_num = starts & (minus | digit);
        let open_lit = starts & (eq(c, 0x74) | eq(c, 0x66) | eq(c, 0x6E));
        bad |= open_obj & !(w_any | eq(want, W_WM) | eq(want, W_ENTRY));
        bad |= open_arr & !(w_any | eq(want, W_LIST));
        bad |= open_str & !(w_any | eq(want, W_APPID));
        bad |= open_num & !(w_any | w_int);
        bad |= open_lit & !w_any;
        bad |= starts & !(lbrace | lbrack | quote | minus | digit) & !open_lit;
        // Skipped containers.
        let push = (open_obj | open_arr) & w_any;
        bad |= push & mb(skip_depth >= MAX_SKIP_DEPTH);
        skip_stack = sel128(
            push,
            (skip_stack << 1) | u128::from(open_obj & 1),
            skip_stack,
        );
        skip_depth += push & 1;
        // Containers werun reads.
        let root = s_start & lbrace;
        bad |= s_start & !ws & !lbrace;
        let enter_wm = open_obj & eq(want, W_WM);
        let enter_entry = open_obj & eq(want, W_ENTRY);
        let enter_list = open_arr & eq(want, W_LIST);
        ctx = sel(root, C_ROOT, ctx);
        ctx = sel(enter_wm, C_WM, ctx);
        ctx = sel(enter_entry, C_ENTRY, ctx);
        ctx = sel(enter_list, C_LIST, ctx);
        wm_ts_seen &= !enter_wm;
        wm_appid_seen &= !enter_wm;
        ent_ts_seen &= !enter_entry;
        ent_step_seen &= !enter_entry;
        next = sel(open_obj | root, OBJ0, next);
        next = sel(open_arr, ARR0, next);
        // The first element of an array.
        want = sel(open_arr, sel(enter_list, W_ENTRY, W_ANY), want);
        // Strings: keys (after '{' or ','), values.
        let key_open = (s_obj0 | s_key) & quote;
        let str_open = open_str | key_open;
        is_key = sel(str_open, key_open, is_key);
        key_buf = sel128(str_open, 0, key_buf);
        key_len = sel(str_open, 0, key_len);
        key_odd = sel(str_open, 0, key_odd);
        str_esc = sel(str_open, 0, str_esc);
        str_start = sel64(str_open, i as u64 + 1, str_start);
        next = sel(str_open, STR, next);
        // Numbers.
        int_mode = sel(open_num, w_int, int_mode);
        neg = sel(open_num, minus, neg);
        mag = sel64(open_num, u64::from(d & digit), mag);
        digits = sel(open_num, digit & 1, digits);
        next = sel(open_num, sel(minus, MINUS, sel(zero, ZERO, INT)), next);
        // Literals: the letters after the first, lowest first.
        let rest = sel(
            eq(c, 0x74),
            0x65_75_72,
            sel(eq(c, 0x66), 0x65_73_6C_61, 0x6C_6C_75),
        );
        lit = sel(open_lit, rest, lit);
        next = sel(open_lit, LIT, next);

        // Keys and the colon.
        bad |= (s_obj0 | s_key) & !ws & !quote & !(s_obj0 & rbrace);
        bad |= s_colon & !ws & !colon;
        next = sel(s_colon & colon, VAL, next);

        // After a value: ',' or the closer.
        let close_obj = (s_obj0 | s_after) & rbrace;
        let close_arr = (s_arr0 | s_after) & rbrack;
        bad |= close_obj & !in_obj;
        bad |= close_arr & !in_arr;
        bad |= s_after & !ws & !comma & !rbrace & !rbrack;
        let sep = s_after & comma;
        next = sel(sep, sel(in_obj, KEY, VAL), next);
        want = sel(
            sep & !in_obj,
            sel(!in_skip & eq(ctx, C_LIST), W_ENTRY, W_ANY),
            want,
        );
        let close = close_obj | close_arr;
        let pop_skip = close & in_skip;
        let pop_ctx = close & !in_skip;
        skip_stack = sel128(pop_skip, skip_stack >> 1, skip_stack);
        skip_depth -= pop_skip & 1;
        let close_wm = pop_ctx & eq(ctx, C_WM);
        let close_entry = pop_ctx & eq(ctx, C_ENTRY);
        let close_list = pop_ctx & eq(ctx, C_LIST);
        let close_root = pop_ctx & eq(ctx, C_ROOT);
        bad |= close_wm & !(wm_ts_seen & wm_appid_seen);
        bad |= close_entry & !(ent_ts_seen & ent_step_seen);
        bad |= close_root & werun & !seen_list;
        ctx = sel(close_wm | close_list, C_ROOT, ctx);
        ctx = sel(close_entry, C_LIST, ctx);
        ctx = sel(close_root, C_NONE, ctx);
        next = sel(close, sel(close_root, END, AFTER), next);
        if EXTRACT {
            if let Some(last) = out.len().checked_sub(1) {
                let slot = count.min(last as u64) as usize;
                let store = close_entry & mb(count < cap);
                if let Some(entry) = out.get_mut(slot) {
                    entry.timestamp = sel64(store, ent_ts, entry.timestamp as u64) as i64;
                    entry.step = sel(store, ent_step, entry.step);
                }
            }
            count += u64::from(close_entry & 1);
        }

        // In a string.
        let s_close = s_str & quote;
        bad |= s_str & ctrl;
        next = sel(s_str & bslash, ESC, next);
        str_esc |= s_str & bslash;
        let raw_unit = s_str & !quote & !bslash;
        // After '\': one of "\/bfnrt, or u and four hex digits.
        let simple = eq(c, 0x22)
            | eq(c, 0x5C)
            | eq(c, 0x2F)
            | eq(c, 0x62)
            | eq(c, 0x66)
            | eq(c, 0x6E)
            | eq(c, 0x72)
            | eq(c, 0x74);
        let u = eq(c, 0x75);
        bad |= s_esc & !simple & !u;
        let esc_unit = s_esc & simple;
        let unescaped = sel(
            eq(c, 0x62),
            0x08,
            sel(
                eq(c, 0x66),
                0x0C,
                sel(
                    eq(c, 0x6E),
                    0x0A,
                    sel(eq(c, 0x72), 0x0D, sel(eq(c, 0x74), 0x09, c)),
                ),
            ),
        );
        next = sel(esc_unit, STR, next);
        next = sel(s_esc & u, HEX, next);
        hex_left = sel(s_esc & u, 4, hex_left);
        hex = sel(s_esc & u, 0, hex);
        bad |= s_hex & !hexdigit;
        let hex_now = (hex << 4) | hexval;
        hex = sel(s_hex, hex_now, hex);
        hex_left = hex_left.wrapping_sub(s_hex & 1);
        let hex_unit = s_hex & eq(hex_left, 0);
        next = sel(hex_unit, STR, next);
        // The key register: each character of a key, unescaped.
        let unit = raw_unit | esc_unit | hex_unit;
        let unit_char = sel(raw_unit, c, sel(esc_unit, unescaped, hex_now & 0xFFFF));
        let keyed = unit & is_key;
        key_buf = sel128(
            keyed,
            (key_buf << 8) | u128::from(unit_char & 0xFF),
            key_buf,
        );
        key_len = key_len.wrapping_add(keyed & mb(key_len < 32) & 1);
        key_odd |= keyed & !lt(unit_char, 0x80);
        // The string ends: a key's value comes next, or this value is done.
        let key_close = s_close & is_key;
        let val_close = s_close & !is_key;
        next = sel(key_close, COLON, next);
        next = sel(val_close, AFTER, next);
        let is_appid = val_close & eq(want, W_APPID);
        appid_start = sel64(is_appid, str_start, appid_start);
        appid_end = sel64(is_appid, i as u64, appid_end);
        appid_esc = sel(is_appid, str_esc, appid_esc);
        // Which key it was, in the containers werun reads.
        let plain = key_close & !in_skip & !key_odd;
        let is = |word: u128, len: u32| eq(key_len, len) & mb(key_buf == word);
        let at_root = plain & eq(ctx, C_ROOT);
        let at_wm = plain & eq(ctx, C_WM);
        let at_entry = plain & eq(ctx, C_ENTRY);
        let k_wm = at_root & is(K_WATERMARK, 9);
        let k_list = at_root & werun & is(K_STEP_LIST, 12);
        let k_wm_ts = at_wm & is(K_TIMESTAMP, 9);
        let k_appid = at_wm & is(K_APPID, 5);
        let k_ent_ts = at_entry & is(K_TIMESTAMP, 9);
        let k_step = at_entry & is(K_STEP, 4);
        bad |= (k_wm & seen_wm)
            | (k_list & seen_list)
            | (k_wm_ts & wm_ts_seen)
            | (k_appid & wm_appid_seen)
            | (k_ent_ts & ent_ts_seen)
            | (k_step & ent_step_seen);
        seen_wm |= k_wm;
        seen_list |= k_list;
        wm_ts_seen |= k_wm_ts;
        wm_appid_seen |= k_appid;
        ent_ts_seen |= k_ent_ts;
        ent_step_seen |= k_step;
        let key_want = sel(k_wm, W_WM, 0)
            | sel(k_list, W_LIST, 0)
            | sel(k_wm_ts, W_WM_TS, 0)
            | sel(k_appid, W_APPID, 0)
            | sel(k_ent_ts, W_ENT_TS, 0)
            | sel(k_step, W_STEP, 0);
        want = sel(key_close, key_want, want);

        // Numbers (the digits that continue them).
        bad |= s_minus & !digit;
        next = sel(s_minus & digit, sel(zero, ZERO, INT), next);
        let int_digit = (s_minus | s_int) & digit;
        mag = sel64(
            int_digit,
            mag.wrapping_mul(10).wrapping_add(u64::from(d)),
            mag,
        );
        digits = digits.wrapping_add(int_digit & mb(digits < 32) & 1);
        let to_dot = (s_zero | s_int) & dot;
        let to_exp = (s_zero | s_int | s_frac) & e;
        bad |= (to_dot | to_exp) & int_mode;
        next = sel(to_dot, DOT, next);
        next = sel(to_exp, EXP, next);
        bad |= s_dot & !digit;
        next = sel(s_dot & digit, FRAC, next);
        bad |= s_exp & !(digit | plus | minus);
        next = sel(s_exp, sel(digit, EXPD, ESIGN), next);
        bad |= s_esign & !digit;
        next = sel(s_esign & digit, EXPD, next);
        // Literals.
        bad |= s_lit & !eq(c, lit & 0xFF);
        lit = sel(s_lit, lit >> 8, lit);
        next = sel(s_lit & eq(lit, 0), AFTER, next);
        // After the root object: whitespace only.
        bad |= s_end & !ws;

        err |= bad;
        st = next;
    }
    // A document cut short: an unfinished number counts as finished only if the text ends
    // there, which it cannot (the root is an object), so only END is complete.
    let valid = err == 0 && st == END && need == 0;
    let watermark = (EXTRACT && wm_appid_seen != 0 && seen_wm != 0).then_some((
        wm_ts as i64,
        appid_start as usize,
        appid_end as usize,
        appid_esc != 0,
    ));
    Scan {
        valid,
        count: if EXTRACT { count as usize } else { 0 },
        watermark,
    }
}

/// The two's complement of `mag` when `neg` is 1.
#[inline(always)]
fn if_neg(neg: u32, mag: u64) -> u64 {
    let mask = 0u64.wrapping_sub(u64::from(neg));
    (mag ^ mask).wrapping_add(u64::from(neg))
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::String;

    pub(crate) fn valid_werun(text: &[u8]) -> bool {
        scan::<false>(text, text.len(), true, &mut []).valid
    }

    #[test]
    fn reads_what_the_strict_reader_reads() {
        for (doc, ok) in [
            (
                &br#"{"stepInfoList":[],"watermark":{"timestamp":1,"appid":"wx"}}"#[..],
                true,
            ),
            (br#"{"stepInfoList":[{"timestamp":1,"step":2}]}"#, true),
            (
                br#" { "stepInfoList" : [ { "step" : 0 , "timestamp" : -5 } ] } "#,
                true,
            ),
            (br#"{"stepInfoList":[{"timestamp":1,"step":-2}]}"#, false),
            (
                br#"{"stepInfoList":[{"timestamp":1,"step":4294967296}]}"#,
                false,
            ),
            (
                br#"{"stepInfoList":[{"timestamp":1,"step":4294967295}]}"#,
                true,
            ),
            (br#"{"stepInfoList":[{"timestamp":-0,"step":1}]}"#, false),
            (br#"{"stepInfoList":[{"timestamp":1.0,"step":1}]}"#, false),
            (
                br#"{"stepInfoList":[{"timestamp":1,"step":1,"x":-0.5e+3}]}"#,
                true,
            ),
            (
                br#"{"stepInfoList":[{"timestamp":1,"step":1,"step":1}]}"#,
                false,
            ),
            (br#"{"stepInfoList":[],"stepInfoList":[]}"#, false),
            (
                br#"{"step\u0049nfoList":[],"w":[true,false,null,{"a":[]}]}"#,
                true,
            ),
            (br#"{"stepInfoList":[],"watermark":{"appid":"wx"}}"#, false),
            (br#"{"stepInfoList":[]"#, false),
            (br#"{"stepInfoList":[]}x"#, false),
            (br#"{"stepInfoList":[] ,"a":"\ud83d\ude00\u00e9"}"#, true),
            ("{\"stepInfoList\":[],\"a\":\"\u{e9}\"}".as_bytes(), true),
            (b"{\"stepInfoList\":[],\"a\":\"\xe9\"}", false),
            (br#"{"a":1}"#, false),
        ] {
            assert_eq!(valid_werun(doc), ok, "{}", String::from_utf8_lossy(doc));
        }
    }
}
