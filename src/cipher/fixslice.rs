//! AES-128 decryption for bare metal: compact fixsliced AES with 16-bit words (one block at a
//! time), constant time by construction (bitsliced: no table lookups, no branch and no memory
//! index that depends on the key or the data).
//!
//! Adapted from the `aes` crate 0.9.4 (RustCrypto, MIT OR Apache-2.0: its
//! `backends/fixslice` with `aes_backend_soft = "compact"` and its `u16` word), which is based
//! on Alexandre Adomnicai and Thomas Peyrin's fixslicing (<https://eprint.iacr.org/2020/1123.pdf>,
//! C code by Alexandre Adomnicai, MIT) and the Boyar-Peralta-Calik S-box circuits. The
//! decryption does the same operations in the same order on the same bitsliced representation,
//! and the round keys are the same; what differs:
//! * every state and round key is a `[u16; 8]` and the schedule an array of them, indexed only
//!   by constants or walked by iterators, so that no bounds check (and no panic path) exists at
//!   any opt-level (the crate's slices keep bounds checks at `opt-level = "z"`);
//! * the key schedule is written into the caller's [`KeySchedule`] in place (the crate builds it
//!   in a temporary and moves it, which costs 176 bytes of stack and a `memcpy` frame), and
//!   expanded in byte form with the bitsliced S-box ([`expand`]) rather than in the bitsliced
//!   domain;
//! * decryption only.
//!
//! Tested against FIPS-197 and, on the host, against the `aes` crate on random keys and blocks.

/// The bitsliced state or round key: 8 words, one per bit position of the bytes.
type State = [u16; 8];

/// A block of 16 bytes.
type Block = [u8; 16];

/// The AES-128 key schedule in the fixsliced representation: 11 round keys, 176 bytes. A plain
/// array, so that the caller's `[[0; 8]; 11]` is filled in place (a struct around it was built
/// in a temporary and copied at `opt-level = "z"`); the caller wipes it ([`wipe`]).
pub(crate) type KeySchedule = [State; 11];

/// The round constants' bytes, rounds 1 to 10.
const RCON: [u8; 10] = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36];

/// Overwrites the schedule with zeros (the optimiser keeps the writes).
pub(crate) fn wipe(rk: &mut KeySchedule) {
    use zeroize::Zeroize;
    rk.zeroize();
}

/// Writes the key schedule of `key` into `rk`: the fixsliced round keys of the `aes` crate's
/// `key_schedule` (compact).
///
/// The round keys are expanded in byte form (FIPS-197 5.2), the S-box of each round's
/// `SubWord` computed by the bitsliced circuit (so constant time, as the crate's bitsliced
/// expansion), and each is bitsliced as it is stored: fewer instructions and less flash than
/// expanding in the bitsliced domain (the crate's column XORs and rotations).
#[inline(never)]
pub(crate) fn expand(rk: &mut KeySchedule, key: &Block) {
    let [first, rest @ ..] = rk;
    *first = bitslice(key);
    // The round key in byte form, as 4 little-endian words.
    let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = *key;
    let mut w0 = u32::from_le_bytes([a0, a1, a2, a3]);
    let mut w1 = u32::from_le_bytes([a4, a5, a6, a7]);
    let mut w2 = u32::from_le_bytes([a8, a9, a10, a11]);
    let mut w3 = u32::from_le_bytes([a12, a13, a14, a15]);
    // Round keys 1, 3, 5, 7 and 9 take InvShiftRows once (compact fixslicing); every round key
    // but the first, the NOTs left out of `sub_bytes`.
    let mut odd = true;
    for (rk, rcon) in rest.iter_mut().zip(RCON) {
        // SubWord(RotWord(w3)) ^ Rcon: RotWord moves byte 0 last, a rotation of the word.
        let [r0, r1, r2, r3] = w3.rotate_right(8).to_le_bytes();
        let mut sbox = bitslice(&[r0, r1, r2, r3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        sub_bytes(&mut sbox);
        sub_bytes_nots(&mut sbox);
        let [s0, s1, s2, s3, ..] = inv_bitslice(&sbox);
        let t = u32::from_le_bytes([s0, s1, s2, s3]) ^ u32::from(rcon);
        w0 ^= t;
        w1 ^= w0;
        w2 ^= w1;
        w3 ^= w2;
        let ([b0, b1, b2, b3], [b4, b5, b6, b7]) = (w0.to_le_bytes(), w1.to_le_bytes());
        let ([b8, b9, b10, b11], [b12, b13, b14, b15]) = (w2.to_le_bytes(), w3.to_le_bytes());
        // (InvShiftRows on the bytes, before bitslicing, is the crate's `inv_shift_rows_1` on
        // the bitsliced key: byte 4c + r comes from column c - r.)
        let mut k = bitslice(&if odd {
            [
                b0, b13, b10, b7, b4, b1, b14, b11, b8, b5, b2, b15, b12, b9, b6, b3,
            ]
        } else {
            [
                b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15,
            ]
        });
        sub_bytes_nots(&mut k);
        *rk = k;
        odd = !odd;
    }
}

/// Whether the two forms of InvMixColumns are separate functions, each with its rotations
/// fixed, or one that takes them from the round's parity: on Cortex-M (a barrel shifter, and
/// flash to spare under the 16 KiB budget) the first, 10 % fewer instructions per call; on
/// RV32IMC the second, about 460 bytes less flash (`tests/firmware/run.sh`).
const SEPARATE_INV_MIX_COLUMNS: bool = cfg!(target_arch = "arm");

/// Deciphers `block` in place with the schedule `rk`.
pub(crate) fn decrypt_block(rk: &KeySchedule, block: &mut Block) {
    decrypt_block_with::<SEPARATE_INV_MIX_COLUMNS>(rk, block);
}

/// [`decrypt_block`] with InvMixColumns as `SEPARATE` says (see [`SEPARATE_INV_MIX_COLUMNS`]).
#[inline(never)]
fn decrypt_block_with<const SEPARATE: bool>(rk: &KeySchedule, block: &mut Block) {
    let [k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10] = rk;
    let mut state = bitslice(block);
    add_round_key(&mut state, k10);
    inv_sub_bytes(&mut state);
    // Round keys 9 to 1, alternately odd and even (the round number is public).
    let mut odd = true;
    for rk in [k9, k8, k7, k6, k5, k4, k3, k2, k1] {
        inv_round::<SEPARATE>(&mut state, rk, odd);
        odd = !odd;
    }
    add_round_key(&mut state, k0);
    *block = inv_bitslice(&state);
}

/// An inverse round (compact fixslicing): with round key 9, 7, 5, 3 or 1 (`odd`), InvShiftRows
/// twice first and the rotations of `inv_mix_columns_1`; with 8, 6, 4 or 2, those of
/// `inv_mix_columns_0`.
#[inline(never)]
fn inv_round<const SEPARATE: bool>(state: &mut State, rk: &State, odd: bool) {
    if odd {
        shift_rows_2(state); // InvShiftRows twice = ShiftRows twice
    }
    add_round_key(state, rk);
    match (SEPARATE, odd) {
        (true, true) => inv_mix_columns_fixed::<true>(state),
        (true, false) => inv_mix_columns_fixed::<false>(state),
        (false, _) => inv_mix_columns(state, odd),
    }
    inv_sub_bytes(state);
}

/// `f` applied to each word of `state`, written out (iterators stay calls at `opt-level =
/// "z"`).
macro_rules! each_word {
    ($state:expr, |$x:ident| $f:expr) => {{
        let state: &mut State = $state;
        let [a0, a1, a2, a3, a4, a5, a6, a7] = *state;
        let f = |$x: u16| -> u16 { $f };
        *state = [f(a0), f(a1), f(a2), f(a3), f(a4), f(a5), f(a6), f(a7)];
    }};
}

/// AddRoundKey (a call of its own: it is used in three places).
#[inline(never)]
fn add_round_key(state: &mut State, rk: &State) {
    let [s0, s1, s2, s3, s4, s5, s6, s7] = *state;
    let [r0, r1, r2, r3, r4, r5, r6, r7] = *rk;
    *state = [
        s0 ^ r0,
        s1 ^ r1,
        s2 ^ r2,
        s3 ^ r3,
        s4 ^ r4,
        s5 ^ r5,
        s6 ^ r6,
        s7 ^ r7,
    ];
}

/// `delta_swap_1` of the crate (in a `u32`: with these masks the result stays within 16 bits).
#[inline(always)]
const fn delta_swap_1(a: u16, shift: u32, mask: u16) -> u16 {
    let (a, mask) = (a as u32, mask as u32);
    let t = (a ^ (a >> shift)) & mask;
    (a ^ t ^ (t << shift)) as u16
}

/// `delta_swap_2` of the crate.
#[inline(always)]
fn delta_swap_2(a: &mut u32, b: &mut u32, shift: u32, mask: u32) {
    let t = (*a ^ (*b >> shift)) & mask;
    *a ^= t;
    *b ^= t << shift;
}

/// A nibble in each of the 4 rows of a word (`uniform_row`).
const fn uniform_row(b: u16) -> u16 {
    b * 0x1111
}

/// One nibble per row (`pack_rows`).
const fn pack_rows(r0: u16, r1: u16, r2: u16, r3: u16) -> u16 {
    r0 | (r1 << 4) | (r2 << 8) | (r3 << 12)
}

/// ShiftRows twice (its own inverse).
#[inline(always)]
fn shift_rows_2(state: &mut State) {
    each_word!(state, |x| delta_swap_1(x, 2, pack_rows(0x0, 0x3, 0x0, 0x3)));
}

/// The NOTs omitted from the S-box circuit.
#[inline(always)]
fn sub_bytes_nots(state: &mut State) {
    state[0] = !state[0];
    state[1] = !state[1];
    state[5] = !state[5];
    state[6] = !state[6];
}

/// The three delta swaps that bitslice a block, and undo it. On 16-bit values held in `u32`s:
/// the masks keep every result within 16 bits, so no truncation is needed between the steps
/// (which 32-bit targets would otherwise spend instructions on).
#[inline(always)]
fn bitslice_swaps(t: &mut [u32; 8]) {
    let [t0, t1, t2, t3, t4, t5, t6, t7] = t;
    delta_swap_2(t1, t0, 1, 0x5555);
    delta_swap_2(t3, t2, 1, 0x5555);
    delta_swap_2(t5, t4, 1, 0x5555);
    delta_swap_2(t7, t6, 1, 0x5555);
    delta_swap_2(t2, t0, 2, 0x3333);
    delta_swap_2(t3, t1, 2, 0x3333);
    delta_swap_2(t6, t4, 2, 0x3333);
    delta_swap_2(t7, t5, 2, 0x3333);
    delta_swap_2(t4, t0, 4, 0x0f0f);
    delta_swap_2(t5, t1, 4, 0x0f0f);
    delta_swap_2(t6, t2, 4, 0x0f0f);
    delta_swap_2(t7, t3, 4, 0x0f0f);
}

/// One block to the bitsliced state.
#[inline(never)]
fn bitslice(b: &Block) -> State {
    let pair = |lo: u8, hi: u8| u32::from(lo) | (u32::from(hi) << 8);
    let mut t = [
        pair(b[0x0], b[0x2]),
        pair(b[0x4], b[0x6]),
        pair(b[0x8], b[0xa]),
        pair(b[0xc], b[0xe]),
        pair(b[0x1], b[0x3]),
        pair(b[0x5], b[0x7]),
        pair(b[0x9], b[0xb]),
        pair(b[0xd], b[0xf]),
    ];
    bitslice_swaps(&mut t);
    t.map(|w| w as u16)
}

/// The bitsliced state back to a block.
#[inline(never)]
fn inv_bitslice(state: &State) -> Block {
    let mut t = state.map(u32::from);
    bitslice_swaps(&mut t);
    let [t0, t1, t2, t3, t4, t5, t6, t7] = t.map(u32::to_le_bytes);
    [
        t0[0], t4[0], t0[1], t4[1], t1[0], t5[0], t1[1], t5[1], t2[0], t6[0], t2[1], t6[1], t3[0],
        t7[0], t3[1], t7[1],
    ]
}

/// `x` rotated right by `n` bits (below 16), through a 32-bit word that holds `x` twice (32-bit
/// targets have no 16-bit rotation).
#[inline(always)]
const fn ror(x: u16, n: u32) -> u16 {
    let x = x as u32;
    ((x | (x << 16)) >> n) as u16
}

/// The bits of `x` rotated right by `a` where `mask` is set and by `b` where it is not.
#[inline(always)]
const fn ror2(x: u16, a: u32, b: u32, mask: u16) -> u16 {
    (ror(x, a) & mask) | (ror(x, b) & !mask)
}

/// [`inv_mix_columns_either`] as one function for both parities.
#[inline(never)]
fn inv_mix_columns(state: &mut State, odd: bool) {
    inv_mix_columns_either(state, odd);
}

/// [`inv_mix_columns_either`] for one parity, its rotations fixed.
#[inline(never)]
fn inv_mix_columns_fixed<const ODD: bool>(state: &mut State) {
    inv_mix_columns_either(state, ODD);
}

/// The fixsliced InvMixColumns (Käsper-Schwabe) of the crate's `inv_mix_columns_1` (`odd`) or
/// `inv_mix_columns_0`, whose two rotations take their distances and masks from `odd` (public).
#[inline(always)]
#[rustfmt::skip]
fn inv_mix_columns_either(state: &mut State, odd: bool) {
    // The first rotation: odd, rows and columns by (1, 1); even, rows by 1. The second: odd,
    // rows and columns by (2, 2); even, rows by 2.
    let ((p, q, m), (r, t, n)) = if odd {
        ((5, 1, uniform_row(0x7)), (10, 6, uniform_row(0x3)))
    } else {
        ((4, 4, 0xffff), (8, 8, 0xffff))
    };
    let [a0, a1, a2, a3, a4, a5, a6, a7] = *state;
    let (c0, c1, c2, c3, c4, c5, c6, c7) = (
        a0 ^ ror2(a0, p, q, m),
        a1 ^ ror2(a1, p, q, m),
        a2 ^ ror2(a2, p, q, m),
        a3 ^ ror2(a3, p, q, m),
        a4 ^ ror2(a4, p, q, m),
        a5 ^ ror2(a5, p, q, m),
        a6 ^ ror2(a6, p, q, m),
        a7 ^ ror2(a7, p, q, m),
    );
    let [d0, d1, d2, d3, d4, d5, d6, d7] = [
        a0      ^ c7,
        a1 ^ c0 ^ c7,
        a2 ^ c1,
        a3 ^ c2 ^ c7,
        a4 ^ c3 ^ c7,
        a5 ^ c4,
        a6 ^ c5,
        a7 ^ c6,
    ];
    let [e0, e1, e2, e3, e4, e5, e6, e7] = [
        c0      ^ d6,
        c1      ^ d6 ^ d7,
        c2 ^ d0      ^ d7,
        c3 ^ d1 ^ d6,
        c4 ^ d2 ^ d6 ^ d7,
        c5 ^ d3      ^ d7,
        c6 ^ d4,
        c7 ^ d5,
    ];
    *state = [
        d0 ^ e0 ^ ror2(e0, r, t, n),
        d1 ^ e1 ^ ror2(e1, r, t, n),
        d2 ^ e2 ^ ror2(e2, r, t, n),
        d3 ^ e3 ^ ror2(e3, r, t, n),
        d4 ^ e4 ^ ror2(e4, r, t, n),
        d5 ^ e5 ^ ror2(e5, r, t, n),
        d6 ^ e6 ^ ror2(e6, r, t, n),
        d7 ^ e7 ^ ror2(e7, r, t, n),
    ];
}

/// The AES S-box (Boyar, Peralta and Calik), without its 4 NOTs (see [`sub_bytes_nots`]).
#[inline(never)]
fn sub_bytes(state: &mut State) {
    let [u7, u6, u5, u4, u3, u2, u1, u0] = *state;

    let y14 = u3 ^ u5;
    let y13 = u0 ^ u6;
    let y12 = y13 ^ y14;
    let t1 = u4 ^ y12;
    let y15 = t1 ^ u5;
    let t2 = y12 & y15;
    let y6 = y15 ^ u7;
    let y20 = t1 ^ u1;
    let y9 = u0 ^ u3;
    let y11 = y20 ^ y9;
    let t12 = y9 & y11;
    let y7 = u7 ^ y11;
    let y8 = u0 ^ u5;
    let t0 = u1 ^ u2;
    let y10 = y15 ^ t0;
    let y17 = y10 ^ y11;
    let t13 = y14 & y17;
    let t14 = t13 ^ t12;
    let y19 = y10 ^ y8;
    let t15 = y8 & y10;
    let t16 = t15 ^ t12;
    let y16 = t0 ^ y11;
    let y21 = y13 ^ y16;
    let t7 = y13 & y16;
    let y18 = u0 ^ y16;
    let y1 = t0 ^ u7;
    let y4 = y1 ^ u3;
    let t5 = y4 & u7;
    let t6 = t5 ^ t2;
    let t18 = t6 ^ t16;
    let t22 = t18 ^ y19;
    let y2 = y1 ^ u0;
    let t10 = y2 & y7;
    let t11 = t10 ^ t7;
    let t20 = t11 ^ t16;
    let t24 = t20 ^ y18;
    let y5 = y1 ^ u6;
    let t8 = y5 & y1;
    let t9 = t8 ^ t7;
    let t19 = t9 ^ t14;
    let t23 = t19 ^ y21;
    let y3 = y5 ^ y8;
    let t3 = y3 & y6;
    let t4 = t3 ^ t2;
    let t17 = t4 ^ y20;
    let t21 = t17 ^ t14;
    let t26 = t21 & t23;
    let t27 = t24 ^ t26;
    let t31 = t22 ^ t26;
    let t25 = t21 ^ t22;
    let t28 = t25 & t27;
    let t29 = t28 ^ t22;
    let z14 = t29 & y2;
    let z5 = t29 & y7;
    let t30 = t23 ^ t24;
    let t32 = t31 & t30;
    let t33 = t32 ^ t24;
    let t35 = t27 ^ t33;
    let t36 = t24 & t35;
    let t38 = t27 ^ t36;
    let t39 = t29 & t38;
    let t40 = t25 ^ t39;
    let t43 = t29 ^ t40;
    let z3 = t43 & y16;
    let tc12 = z3 ^ z5;
    let z12 = t43 & y13;
    let z13 = t40 & y5;
    let z4 = t40 & y1;
    let tc6 = z3 ^ z4;
    let t34 = t23 ^ t33;
    let t37 = t36 ^ t34;
    let t41 = t40 ^ t37;
    let z8 = t41 & y10;
    let z17 = t41 & y8;
    let t44 = t33 ^ t37;
    let z0 = t44 & y15;
    let z9 = t44 & y12;
    let z10 = t37 & y3;
    let z1 = t37 & y6;
    let tc5 = z1 ^ z0;
    let tc11 = tc6 ^ tc5;
    let z11 = t33 & y4;
    let t42 = t29 ^ t33;
    let t45 = t42 ^ t41;
    let z7 = t45 & y17;
    let tc8 = z7 ^ tc6;
    let z16 = t45 & y14;
    let z6 = t42 & y11;
    let tc16 = z6 ^ tc8;
    let z15 = t42 & y9;
    let tc20 = z15 ^ tc16;
    let tc1 = z15 ^ z16;
    let tc2 = z10 ^ tc1;
    let tc21 = tc2 ^ z11;
    let tc3 = z9 ^ tc2;
    let s0 = tc3 ^ tc16;
    let s3 = tc3 ^ tc11;
    let s1 = s3 ^ tc16;
    let tc13 = z13 ^ tc1;
    let z2 = t33 & u7;
    let tc4 = z0 ^ z2;
    let tc7 = z12 ^ tc4;
    let tc9 = z8 ^ tc7;
    let tc10 = tc8 ^ tc9;
    let tc17 = z14 ^ tc10;
    let s5 = tc21 ^ tc17;
    let tc26 = tc17 ^ tc20;
    let s2 = tc26 ^ z17;
    let tc14 = tc4 ^ tc12;
    let tc18 = tc13 ^ tc14;
    let s6 = tc10 ^ tc18;
    let s7 = z12 ^ tc18;
    let s4 = tc14 ^ s3;

    *state = [s7, s6, s5, s4, s3, s2, s1, s0];
}

/// The inverse S-box (Boyar, Peralta and Calik), the NOTs included: the true inverse of
/// [`sub_bytes`].
#[inline(never)]
fn inv_sub_bytes(state: &mut State) {
    let [u7, u6, u5, u4, u3, u2, u1, u0] = *state;

    let t23 = u0 ^ u3;
    let t8 = u1 ^ t23;
    let m2 = t23 & t8;
    let t4 = u4 ^ t8;
    let t22 = u1 ^ u3;
    let t2 = u0 ^ u1;
    let t1 = u3 ^ u4;
    let t9 = u7 ^ t1;
    let m7 = t22 & t9;
    let t24 = u4 ^ u7;
    let t10 = t2 ^ t24;
    let m14 = t2 & t10;
    let r5 = u6 ^ u7;
    let t3 = t1 ^ r5;
    let t13 = t2 ^ r5;
    let t19 = t22 ^ r5;
    let t17 = u2 ^ t19;
    let t25 = u2 ^ t1;
    let r13 = u1 ^ u6;
    let t20 = t24 ^ r13;
    let m9 = t20 & t17;
    let r17 = u2 ^ u5;
    let t6 = t22 ^ r17;
    let m1 = t13 & t6;
    let y5 = u0 ^ r17;
    let m4 = t19 & y5;
    let m5 = m4 ^ m1;
    let m17 = m5 ^ t24;
    let r18 = u5 ^ u6;
    let t27 = t1 ^ r18;
    let t15 = t10 ^ t27;
    let m11 = t1 & t15;
    let m15 = m14 ^ m11;
    let m21 = m17 ^ m15;
    let m12 = t4 & t27;
    let m13 = m12 ^ m11;
    let t14 = t10 ^ r18;
    let m3 = t14 ^ m1;
    let m16 = m3 ^ m2;
    let m20 = m16 ^ m13;
    let r19 = u2 ^ u4;
    let t16 = r13 ^ r19;
    let t26 = t3 ^ t16;
    let m6 = t3 & t16;
    let m8 = t26 ^ m6;
    let m18 = m8 ^ m7;
    let m22 = m18 ^ m13;
    let m25 = m22 & m20;
    let m26 = m21 ^ m25;
    let m10 = m9 ^ m6;
    let m19 = m10 ^ m15;
    let m23 = m19 ^ t25;
    let m28 = m23 ^ m25;
    let m24 = m22 ^ m23;
    let m30 = m26 & m24;
    let m39 = m23 ^ m30;
    let m48 = m39 & y5;
    let m57 = m39 & t19;
    let m36 = m24 ^ m25;
    let m31 = m20 & m23;
    let m27 = m20 ^ m21;
    let m32 = m27 & m31;
    let m29 = m28 & m27;
    let m37 = m21 ^ m29;
    let m42 = m37 ^ m39;
    let m52 = m42 & t15;
    let m61 = m42 & t1;
    let p0 = m52 ^ m61;
    let p16 = m57 ^ m61;
    let m60 = m37 & t20;
    let m51 = m37 & t17;
    let m33 = m27 ^ m25;
    let m38 = m32 ^ m33;
    let m43 = m37 ^ m38;
    let m49 = m43 & t16;
    let p6 = m49 ^ m60;
    let p13 = m49 ^ m51;
    let m58 = m43 & t3;
    let m50 = m38 & t9;
    let m59 = m38 & t22;
    let p1 = m58 ^ m59;
    let p7 = p0 ^ p1;
    let m34 = m21 & m22;
    let m35 = m24 & m34;
    let m40 = m35 ^ m36;
    let m41 = m38 ^ m40;
    let m45 = m42 ^ m41;
    let m53 = m45 & t27;
    let p8 = m50 ^ m53;
    let p23 = p7 ^ p8;
    let m62 = m45 & t4;
    let p14 = m49 ^ m62;
    let s6 = p14 ^ p23;
    let m54 = m41 & t10;
    let p2 = m54 ^ m62;
    let p22 = p2 ^ p7;
    let s0 = p13 ^ p22;
    let p17 = m58 ^ p2;
    let p15 = m54 ^ m59;
    let m63 = m41 & t2;
    let m44 = m39 ^ m40;
    let m46 = m44 & t6;
    let p5 = m46 ^ m51;
    let p18 = m63 ^ p5;
    let p24 = p5 ^ p7;
    let p12 = m46 ^ m48;
    let s3 = p12 ^ p22;
    let m55 = m44 & t13;
    let p9 = m55 ^ m63;
    let s7 = p9 ^ p16;
    let m47 = m40 & t8;
    let p3 = m47 ^ m50;
    let p19 = p2 ^ p3;
    let s5 = p19 ^ p24;
    let p11 = p0 ^ p3;
    let p26 = p9 ^ p11;
    let m56 = m40 & t23;
    let p4 = m48 ^ m56;
    let p20 = p4 ^ p6;
    let p29 = p15 ^ p20;
    let s1 = p26 ^ p29;
    let p10 = m57 ^ p4;
    let p27 = p10 ^ p18;
    let s4 = p23 ^ p27;
    let p25 = p6 ^ p10;
    let p28 = p11 ^ p25;
    let s2 = p17 ^ p28;

    *state = [s7, s6, s5, s4, s3, s2, s1, s0];
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::{BlockCipherDecrypt, KeyInit};

    fn decrypt(key: &Block, block: &Block) -> Block {
        let mut rk = [[0; 8]; 11];
        expand(&mut rk, key);
        let mut b = *block;
        decrypt_block(&rk, &mut b);
        b
    }

    fn hex(s: &str) -> Block {
        core::array::from_fn(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
    }

    /// FIPS-197 appendix C.1 (AES-128) and appendix B.
    #[test]
    fn fips_197_vectors() {
        let cases = [
            (
                "000102030405060708090a0b0c0d0e0f",
                "00112233445566778899aabbccddeeff",
                "69c4e0d86a7b0430d8cdb78070b4c55a",
            ),
            (
                "2b7e151628aed2a6abf7158809cf4f3c",
                "3243f6a8885a308d313198a2e0370734",
                "3925841d02dc09fbdc118597196a0b32",
            ),
        ];
        for (key, plain, cipher) in cases {
            assert_eq!(decrypt(&hex(key), &hex(cipher)), hex(plain));
        }
    }

    /// The same plaintext as the `aes` crate's decryption for many random keys and blocks.
    #[test]
    fn matches_the_aes_crate() {
        // xorshift64*: reproducible, no dependency.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let mut bytes = || -> Block {
            let (a, b) = (next(), next());
            let mut out = [0u8; 16];
            out[..8].copy_from_slice(&a.to_le_bytes());
            out[8..].copy_from_slice(&b.to_le_bytes());
            out
        };
        for _ in 0..2000 {
            let key = bytes();
            let reference = aes::Aes128::new(&key.into());
            let mut rk = [[0; 8]; 11];
            expand(&mut rk, &key);
            for _ in 0..8 {
                let block = bytes();
                let mut theirs = block.into();
                reference.decrypt_block(&mut theirs);
                let theirs = <[u8; 16]>::from(theirs);
                // Both forms of InvMixColumns (Cortex-M's and RV32IMC's).
                let (mut separate, mut shared) = (block, block);
                decrypt_block_with::<true>(&rk, &mut separate);
                decrypt_block_with::<false>(&rk, &mut shared);
                assert_eq!(separate, theirs, "key {key:02x?}");
                assert_eq!(shared, theirs, "key {key:02x?}");
            }
        }
        for key in [[0u8; 16], [0xFF; 16]] {
            let reference = aes::Aes128::new(&key.into());
            for block in [[0u8; 16], [0xFF; 16]] {
                let mut theirs = block.into();
                reference.decrypt_block(&mut theirs);
                assert_eq!(decrypt(&key, &block), <[u8; 16]>::from(theirs));
            }
        }
    }

    #[test]
    fn wipe_clears_the_schedule() {
        let mut rk = [[0; 8]; 11];
        expand(&mut rk, &[0x5A; 16]);
        assert!(rk.iter().flatten().any(|&w| w != 0));
        wipe(&mut rk);
        assert!(rk.iter().flatten().all(|&w| w == 0));
    }
}
