//! Overlapping buffers are refused with `WERUN_STATUS_INVALID_ARGUMENT` by every C entry point:
//! each input (`session_key`, `iv`, `encrypted_data`, `appid`) overlapping each buffer the call
//! writes (`scratch`, `out_steps`, `out_summary`/`out_result`/`out_diagnosis`, the in-place
//! `encrypted_data`) by as little as the alignment allows at either end (one byte for the
//! inputs), and each pair of written buffers. As a control, the same layouts with the buffers
//! next to each other decrypt the sample, so each refusal is the overlap's doing.
//!
//! All buffers live in one arena so that any layout can be built; the inputs hold their real
//! text (written last, over the buffer they overlap), so a call that missed the overlap would
//! decrypt and return something else than `INVALID_ARGUMENT`.

mod common;

use werun::ffi::*;
use werun::StepInfo;

/// A buffer a call takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Buf {
    Key,
    Iv,
    Data,
    Appid,
    Scratch,
    Steps,
    /// `out_summary`, `out_result` or `out_diagnosis`.
    Out,
    /// The writable `encrypted_data` of the in-place calls.
    InPlace,
}

const BUFS: [Buf; 8] = [
    Buf::Key,
    Buf::Iv,
    Buf::Data,
    Buf::Appid,
    Buf::Scratch,
    Buf::Steps,
    Buf::Out,
    Buf::InPlace,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    DecryptSteps,
    DecryptStepsInPlace,
    OpenData,
    OpenDataInPlace,
    Diagnose,
}

const APIS: [Api; 5] = [
    Api::DecryptSteps,
    Api::DecryptStepsInPlace,
    Api::OpenData,
    Api::OpenDataInPlace,
    Api::Diagnose,
];

impl Api {
    /// The buffers the call only reads.
    fn inputs(self) -> &'static [Buf] {
        match self {
            Api::DecryptSteps | Api::OpenData => &[Buf::Key, Buf::Iv, Buf::Data, Buf::Appid],
            Api::DecryptStepsInPlace | Api::OpenDataInPlace => &[Buf::Key, Buf::Iv, Buf::Appid],
            Api::Diagnose => &[Buf::Key, Buf::Iv, Buf::Data],
        }
    }

    /// The buffers the call writes.
    fn writable(self) -> &'static [Buf] {
        match self {
            Api::DecryptSteps => &[Buf::Scratch, Buf::Steps, Buf::Out],
            Api::DecryptStepsInPlace => &[Buf::InPlace, Buf::Steps, Buf::Out],
            Api::OpenData | Api::Diagnose => &[Buf::Scratch, Buf::Out],
            Api::OpenDataInPlace => &[Buf::InPlace, Buf::Out],
        }
    }

    /// Size and alignment of the `out_*` parameter.
    fn out_layout(self) -> (usize, usize) {
        match self {
            Api::DecryptSteps | Api::DecryptStepsInPlace => {
                (size_of::<werun_summary>(), align_of::<werun_summary>())
            }
            Api::OpenData | Api::OpenDataInPlace => (
                size_of::<werun_open_data_result>(),
                align_of::<werun_open_data_result>(),
            ),
            Api::Diagnose => (size_of::<u32>(), align_of::<u32>()),
        }
    }
}

const CAPACITY: usize = werun::DEFAULT_CAPACITY;
/// Each buffer's home: the middle of a slot of its own, with room on both sides for another
/// buffer to be moved next to it.
const SLOT: usize = 8192;
const HOME: usize = 4096;

/// The sample's inputs.
struct Sample {
    key: String,
    iv: String,
    data: String,
    appid: String,
}

impl Sample {
    fn load() -> Sample {
        let s = &common::vectors_file()["sample"];
        let text = |k: &str| s[k].as_str().unwrap().to_string();
        let sample = Sample {
            key: text("session_key"),
            iv: text("iv"),
            data: text("encrypted_data"),
            appid: text("appid"),
        };
        // Every buffer fits the room around another one's home.
        assert!(sample.data.len() < SLOT - HOME - 8 && sample.data.len() < HOME);
        sample
    }

    /// (size in bytes, alignment) of `buf` as `api` takes it.
    fn layout(&self, api: Api, buf: Buf) -> (usize, usize) {
        match buf {
            Buf::Key => (self.key.len(), 1),
            Buf::Iv => (self.iv.len(), 1),
            Buf::Data | Buf::InPlace => (self.data.len(), 1),
            Buf::Appid => (self.appid.len(), 1),
            Buf::Scratch => (werun::scratch_len(self.data.len()), 1),
            Buf::Steps => (CAPACITY * size_of::<StepInfo>(), align_of::<StepInfo>()),
            Buf::Out => api.out_layout(),
        }
    }
}

/// Where each buffer starts, as an offset into the arena.
#[derive(Clone, Copy, Debug)]
struct Layout([usize; 8]);

impl Layout {
    fn home() -> Layout {
        Layout(std::array::from_fn(|i| i * SLOT + HOME))
    }
    fn at(&self, b: Buf) -> usize {
        self.0[b as usize]
    }
    fn with(mut self, b: Buf, offset: usize) -> Layout {
        self.0[b as usize] = offset;
        self
    }
}

fn align_down(n: usize, a: usize) -> usize {
    n / a * a
}

fn align_up(n: usize, a: usize) -> usize {
    n.div_ceil(a) * a
}

/// The arena (16-byte aligned) and the calls over it.
struct Arena {
    mem: Vec<u128>,
}

impl Arena {
    fn new() -> Arena {
        Arena {
            mem: vec![0; SLOT * BUFS.len() / 16],
        }
    }

    /// Lays the buffers out as `layout` says (written buffers first, inputs last, so that an
    /// input overlapping a written buffer holds its real text) and calls `api`.
    fn call(&mut self, s: &Sample, api: Api, layout: Layout) -> werun_status {
        let bytes: &mut [u8] = bytemuck_bytes(&mut self.mem);
        bytes.fill(common::BYTE_PATTERN);
        let mut put = |b: Buf, text: &str| {
            let at = layout.at(b);
            bytes[at..at + text.len()].copy_from_slice(text.as_bytes());
        };
        put(Buf::InPlace, &s.data);
        put(Buf::Data, &s.data);
        put(Buf::Appid, &s.appid);
        put(Buf::Iv, &s.iv);
        put(Buf::Key, &s.key);
        let base = self.mem.as_mut_ptr().cast::<u8>();
        // SAFETY: every offset is inside the arena (`Layout::home` and the moves below keep
        // each buffer within its own slot or a neighbour's spare room).
        let ptr = |b: Buf| unsafe { base.add(layout.at(b)) };
        let options = werun_options {
            appid: ptr(Buf::Appid),
            appid_len: s.appid.len(),
            flags: 0,
            now: 0,
            max_age: 0,
        };
        let (key, iv, data) = (ptr(Buf::Key), ptr(Buf::Iv), ptr(Buf::Data));
        let (klen, ivlen, dlen) = (s.key.len(), s.iv.len(), s.data.len());
        let scratch_len = werun::scratch_len(dlen);
        match api {
            Api::DecryptSteps => werun_decrypt_steps(
                key,
                klen,
                iv,
                ivlen,
                data,
                dlen,
                &options,
                ptr(Buf::Scratch),
                scratch_len,
                ptr(Buf::Steps).cast(),
                CAPACITY,
                ptr(Buf::Out).cast(),
            ),
            Api::DecryptStepsInPlace => werun_decrypt_steps_in_place(
                key,
                klen,
                iv,
                ivlen,
                ptr(Buf::InPlace),
                dlen,
                &options,
                ptr(Buf::Steps).cast(),
                CAPACITY,
                ptr(Buf::Out).cast(),
            ),
            Api::OpenData => werun_open_data(
                key,
                klen,
                iv,
                ivlen,
                data,
                dlen,
                &options,
                ptr(Buf::Scratch),
                scratch_len,
                ptr(Buf::Out).cast(),
            ),
            Api::OpenDataInPlace => werun_open_data_in_place(
                key,
                klen,
                iv,
                ivlen,
                ptr(Buf::InPlace),
                dlen,
                &options,
                ptr(Buf::Out).cast(),
            ),
            Api::Diagnose => werun_diagnose(
                key,
                klen,
                iv,
                ivlen,
                data,
                dlen,
                0,
                ptr(Buf::Scratch),
                scratch_len,
                ptr(Buf::Out).cast(),
            ),
        }
    }
}

/// The arena's bytes.
fn bytemuck_bytes(mem: &mut [u128]) -> &mut [u8] {
    let len = std::mem::size_of_val(mem);
    // SAFETY: u128 has no padding and every byte pattern is a valid u8; same allocation.
    unsafe { std::slice::from_raw_parts_mut(mem.as_mut_ptr().cast(), len) }
}

/// The placements of `x` against `w` (both as `api` takes them) that overlap `w` as little as
/// `x`'s alignment allows, at `w`'s start and at its end, and the aligned placements right
/// next to `w` on either side that do not overlap it: (description, offset of `x`, overlaps).
fn placements(s: &Sample, api: Api, x: Buf, w: Buf) -> Vec<(&'static str, usize, bool)> {
    let (x_len, x_align) = s.layout(api, x);
    let (w_len, _) = s.layout(api, w);
    let w_at = Layout::home().at(w);
    let placed = vec![
        (
            "ends inside the start",
            align_up(w_at + 1 - x_len, x_align),
            true,
        ),
        (
            "starts inside the end",
            align_down(w_at + w_len - 1, x_align),
            true,
        ),
        (
            "ends right before",
            align_down(w_at - x_len, x_align),
            false,
        ),
        ("starts right after", align_up(w_at + w_len, x_align), false),
    ];
    for &(how, at, overlaps) in &placed {
        let meets = at < w_at + w_len && w_at < at + x_len;
        assert_eq!(meets, overlaps, "{x:?} {how} {w:?}");
        assert!(at > w_at - HOME && at + x_len < w_at - HOME + SLOT);
    }
    placed
}

#[test]
fn every_buffer_layout_of_the_sample_decrypts_when_nothing_overlaps() {
    let s = Sample::load();
    let mut arena = Arena::new();
    for api in APIS {
        assert_eq!(
            arena.call(&s, api, Layout::home()),
            werun_status::Ok,
            "{api:?}"
        );
    }
}

#[test]
fn every_input_overlapping_every_written_buffer_is_refused() {
    let s = Sample::load();
    let mut arena = Arena::new();
    let mut refused = 0;
    for api in APIS {
        for &w in api.writable() {
            for &x in api.inputs() {
                for (how, at, overlaps) in placements(&s, api, x, w) {
                    let status = arena.call(&s, api, Layout::home().with(x, at));
                    let want = if overlaps {
                        refused += 1;
                        werun_status::InvalidArgument
                    } else {
                        werun_status::Ok
                    };
                    assert_eq!(status, want, "{api:?}: {x:?} {how} {w:?}");
                }
            }
        }
    }
    // 2 placements x (4 inputs x 3 written + 3 x 3 + 4 x 2 + 3 x 2 + 3 x 2)
    assert_eq!(refused, 2 * (12 + 9 + 8 + 6 + 6));
}

#[test]
fn every_pair_of_written_buffers_overlapping_is_refused() {
    let s = Sample::load();
    let mut arena = Arena::new();
    let mut refused = 0;
    for api in APIS {
        for &w in api.writable() {
            for &x in api.writable().iter().filter(|&&x| x != w) {
                for (how, at, overlaps) in placements(&s, api, x, w) {
                    let status = arena.call(&s, api, Layout::home().with(x, at));
                    let want = if overlaps {
                        refused += 1;
                        werun_status::InvalidArgument
                    } else {
                        werun_status::Ok
                    };
                    assert_eq!(status, want, "{api:?}: {x:?} {how} {w:?}");
                }
            }
        }
    }
    // 2 placements x ordered pairs: 6 + 6 + 2 + 2 + 2
    assert_eq!(refused, 2 * 18);
}
