//! C ABI (stub)
