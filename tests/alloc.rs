//! Zero heap allocations per call, counted by a global allocator that sees every allocation of
//! this test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

mod common;

/// Allocations made by `f` (the test harness runs this test alone in its binary).
fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

#[test]
fn no_call_allocates() {
    use werun::ffi::*;
    let vectors = common::vectors();
    assert!(
        allocations_in(|| drop(Vec::<u8>::with_capacity(1))) == 1,
        "the counter counts"
    );
    for v in &vectors {
        // Inputs and buffers are prepared outside the measured region.
        let key = v["session_key"].as_str().unwrap().as_bytes().to_vec();
        let iv = v["iv"].as_str().unwrap().as_bytes().to_vec();
        let data = v["encrypted_data"].as_str().unwrap().as_bytes().to_vec();
        let appid = v["appid"].as_str().map(|a| a.as_bytes().to_vec());
        let options = common::options(v);
        let keys = common::keys(v);
        let mut scratch = vec![0u8; common::scratch_len(v)];
        let mut copy = data.clone();
        let mut steps = vec![werun::StepInfo::default(); v["capacity"].as_u64().unwrap() as usize];
        let c_options = werun_options {
            appid: appid.as_ref().map_or(std::ptr::null(), |a| a.as_ptr()),
            appid_len: appid.as_ref().map_or(0, Vec::len),
            flags: if appid.is_none() {
                WERUN_OPTION_SKIP_APPID_CHECK
            } else {
                0
            } | if v["strict_base64"] == true {
                WERUN_OPTION_STRICT_BASE64
            } else {
                0
            } | if v["now"].is_i64() {
                WERUN_OPTION_CHECK_FRESHNESS
            } else {
                0
            },
            now: v["now"].as_i64().unwrap_or(0),
            max_age: v["max_age"].as_u64().unwrap_or(0),
        };
        let mut summary = werun_summary::default();
        let mut diagnosis = 0u32;
        let n = allocations_in(|| {
            if let Ok((key, iv)) = &keys {
                let _ = werun::decrypt_steps(key, iv, &data, &options, &mut scratch, &mut steps);
                let _ = werun::open_data(key, iv, &data, &options, &mut scratch);
                let _ = werun::diagnose(key, iv, &data, options.base64_mode(), &mut scratch);
                let _ = werun::decrypt_steps_in_place(key, iv, &mut copy, &options, &mut steps);
            }
            let _ = common::c_decrypt_steps(
                &key,
                &iv,
                &data,
                &c_options,
                &mut scratch,
                &mut steps,
                &mut summary,
            );
            let _ = werun_diagnose(
                key.as_ptr(),
                key.len(),
                iv.as_ptr(),
                iv.len(),
                data.as_ptr(),
                data.len(),
                0,
                scratch.as_mut_ptr(),
                scratch.len(),
                &mut diagnosis,
            );
            let _ = werun_status_str(7);
        });
        assert_eq!(n, 0, "{} allocated", v["id"]);
    }
}
