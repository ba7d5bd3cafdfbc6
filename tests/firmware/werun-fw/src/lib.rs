//! werun's C ABI as a bare-metal staticlib (`libwerun_fw.a`), for firmware linked from C.
//!
//! The panic handler calls `werun_panic_is_reachable`, a symbol that is defined nowhere. With
//! LTO and `-Wl,--gc-sections` the handler survives only if some exported function can reach
//! a panic, so the link of the firmware fails exactly then: that failing link is the
//! project's link-time proof that the release decrypt path has no reachable panic.
#![no_std]

pub use werun::ffi::*;

extern "C" {
    /// Defined nowhere on purpose: referencing it makes the link fail.
    fn werun_panic_is_reachable() -> !;
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: never runs: the firmware cannot link while this call is reachable.
    unsafe { werun_panic_is_reachable() }
}
