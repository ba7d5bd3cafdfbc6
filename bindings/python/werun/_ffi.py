"""The C ABI of libwerun, loaded with ctypes: constants, structs and one table of signatures.

Nothing here is public API. The constants are copied from ``include/werun.h`` (the header is
the source of truth; ``tests/test_header.py`` fails when they drift apart). The library is
found, in this order, at:

1. the path in the ``WERUN_LIBRARY`` environment variable (no fallback when it is set);
2. the package directory (``pip install`` bundles the library there);
3. ``<repo>/target/release`` when the package is imported from a checkout (after ``make lib``).

At import the library's ``werun_abi_version()`` must equal :data:`WERUN_ABI_VERSION` and the
ctypes structs must have the C layout, or the import fails with an :class:`ImportError` that
says what to do.
"""

from __future__ import annotations

import ctypes
import os
import sys
from ctypes import (POINTER, c_char_p, c_int32, c_int64, c_size_t, c_uint8, c_uint32, c_uint64,
                    c_void_p)
from pathlib import Path

# --- constants (from include/werun.h) ------------------------------------------------------

WERUN_ABI_VERSION = 1
WERUN_DEFAULT_CAPACITY = 32

WERUN_OPTION_SKIP_APPID_CHECK = 1
WERUN_OPTION_STRICT_BASE64 = 2
WERUN_OPTION_CHECK_FRESHNESS = 4

WERUN_MAX_CANDIDATE_KEYS = 4

WERUN_DIAGNOSIS_WERUN_DATA = 0
WERUN_DIAGNOSIS_NOT_WERUN_DATA = 1
WERUN_DIAGNOSIS_SESSION_KEY_MISMATCH = 2
WERUN_DIAGNOSIS_IV_MISMATCH = 3
WERUN_DIAGNOSIS_GARBLED = 4
WERUN_DIAGNOSIS_TRUNCATED = 5

WERUN_STATUS_OK = 0
WERUN_STATUS_NULL_ARGUMENT = 1
WERUN_STATUS_SESSION_KEY_INVALID = 2
WERUN_STATUS_IV_INVALID = 3
WERUN_STATUS_ENCRYPTED_DATA_INVALID = 4
WERUN_STATUS_CIPHERTEXT_LENGTH = 5
WERUN_STATUS_BUFFER_TOO_SMALL = 6
WERUN_STATUS_DECRYPT_FAILED = 7
WERUN_STATUS_APPID_MISMATCH = 8
WERUN_STATUS_WATERMARK_EXPIRED = 9
WERUN_STATUS_CAPACITY_EXCEEDED = 10
WERUN_STATUS_INTERNAL = 11
WERUN_STATUS_INVALID_ARGUMENT = 12

# --- structs --------------------------------------------------------------------------------


class werun_options(ctypes.Structure):
    """``struct werun_options``: how a payload is checked."""

    _fields_ = [
        ("appid", c_char_p),
        ("appid_len", c_size_t),
        ("flags", c_uint32),
        ("now", c_int64),
        ("max_age", c_uint64),
    ]


class werun_step(ctypes.Structure):
    """``struct werun_step``: one day (``int64_t timestamp; uint32_t step;``)."""

    _fields_ = [("timestamp", c_int64), ("step", c_uint32)]


class werun_summary(ctypes.Structure):
    """``struct werun_summary``: what ``werun_decrypt_steps*`` found besides the steps."""

    _fields_ = [
        ("count", c_size_t),
        ("watermark_timestamp", c_int64),
        ("has_watermark", c_uint8),
    ]


class werun_bytes(ctypes.Structure):
    """``struct werun_bytes``: one candidate key (``const uint8_t *ptr; size_t len;``)."""

    _fields_ = [("ptr", c_char_p), ("len", c_size_t)]


class werun_open_data_result(ctypes.Structure):
    """``struct werun_open_data_result``: what ``werun_open_data*`` found."""

    _fields_ = [
        ("json_len", c_size_t),
        ("watermark_timestamp", c_int64),
        ("has_watermark", c_uint8),
    ]


# The layout the C compiler gives these structs on an LP64 platform (every platform werun is
# built for in practice): (size, {field: offset}). Checked against ctypes at import.
_LP64_LAYOUT = {
    werun_options: (40, {"appid": 0, "appid_len": 8, "flags": 16, "now": 24, "max_age": 32}),
    werun_step: (16, {"timestamp": 0, "step": 8}),
    werun_summary: (24, {"count": 0, "watermark_timestamp": 8, "has_watermark": 16}),
    werun_bytes: (16, {"ptr": 0, "len": 8}),
    werun_open_data_result: (24, {"json_len": 0, "watermark_timestamp": 8, "has_watermark": 16}),
}

# --- the function table ---------------------------------------------------------------------
#
# Input strings are passed as c_char_p (a ``bytes`` object is passed without a copy), buffers
# the library writes as c_void_p (an address or a ctypes buffer). Status values are uint32_t.

_u8p = c_char_p  # const uint8_t * (input text)
_out = c_void_p  # uint8_t * / struct * the library writes

FUNCTIONS: dict[str, tuple[object, list[object]]] = {
    # name: (restype, argtypes)
    "werun_decrypt_steps": (c_uint32, [
        _u8p, c_size_t,                 # session_key
        _u8p, c_size_t,                 # iv
        _u8p, c_size_t,                 # encrypted_data
        POINTER(werun_options),         # options
        _out, c_size_t,                 # scratch
        _out, c_size_t,                 # out_steps, steps_capacity
        _out,                           # out_summary
    ]),
    "werun_decrypt_steps_with_keys": (c_uint32, [
        POINTER(werun_bytes), c_size_t,  # session_keys, session_key_count
        _u8p, c_size_t,                 # iv
        _u8p, c_size_t,                 # encrypted_data
        POINTER(werun_options),         # options
        _out, c_size_t,                 # scratch
        _out, c_size_t,                 # out_steps, steps_capacity
        _out,                           # out_summary
        _out,                           # out_key_index (size_t *)
    ]),
    "werun_decrypt_steps_in_place": (c_uint32, [
        _u8p, c_size_t,
        _u8p, c_size_t,
        _out, c_size_t,                 # encrypted_data (writable)
        POINTER(werun_options),
        _out, c_size_t,
        _out,
    ]),
    "werun_open_data": (c_uint32, [
        _u8p, c_size_t,
        _u8p, c_size_t,
        _u8p, c_size_t,
        POINTER(werun_options),
        _out, c_size_t,                 # scratch
        _out,                           # out_result
    ]),
    "werun_open_data_in_place": (c_uint32, [
        _u8p, c_size_t,
        _u8p, c_size_t,
        _out, c_size_t,
        POINTER(werun_options),
        _out,
    ]),
    "werun_diagnose": (c_uint32, [
        _u8p, c_size_t,
        _u8p, c_size_t,
        _u8p, c_size_t,
        c_uint32,                       # flags
        _out, c_size_t,                 # scratch
        _out,                           # out_diagnosis (uint32_t *)
    ]),
    "werun_status_wx_code": (c_int32, [c_uint32]),
    "werun_status_str": (c_char_p, [c_uint32]),
    "werun_diagnosis_str": (c_char_p, [c_uint32]),
    "werun_scratch_len": (c_size_t, [c_size_t]),
    "werun_scratch_len_with_keys": (c_size_t, [c_size_t]),
    "werun_abi_version": (c_uint32, []),
    "werun_version": (c_char_p, []),
}

# --- finding and loading the library --------------------------------------------------------

if sys.platform == "darwin":
    LIBRARY_NAME = "libwerun.dylib"
elif sys.platform == "win32":
    LIBRARY_NAME = "werun.dll"
else:
    LIBRARY_NAME = "libwerun.so"

_PACKAGE_DIR = Path(__file__).resolve().parent
# bindings/python/werun/_ffi.py -> the repository root, when imported from a checkout.
_REPO_DIR = _PACKAGE_DIR.parent.parent.parent

_HOW_TO_FIX = (
    "reinstall the package (`pip install --force-reinstall` the werun wheel, which carries the "
    "library, or the sdist, which builds it and needs Rust; from a checkout, `pip install "
    "./bindings/python`), or build the library with `make lib` in the werun repository and "
    "set WERUN_LIBRARY=/path/to/target/release/{name}"
).format(name=LIBRARY_NAME)


def _candidates() -> list[Path]:
    env = os.environ.get("WERUN_LIBRARY")
    if env:
        return [Path(env)]
    found = [_PACKAGE_DIR / LIBRARY_NAME]
    if (_REPO_DIR / "Cargo.toml").is_file():
        found.append(_REPO_DIR / "target" / "release" / LIBRARY_NAME)
    return found


def _load() -> tuple[ctypes.CDLL, Path]:
    candidates = _candidates()
    for path in candidates:
        if path.is_file():
            try:
                return ctypes.CDLL(str(path)), path
            except OSError as e:
                raise ImportError(f"werun: cannot load {path}: {e}; {_HOW_TO_FIX}") from e
    where = ", ".join(str(p) for p in candidates)
    if os.environ.get("WERUN_LIBRARY"):
        raise ImportError(
            f"werun: WERUN_LIBRARY={os.environ['WERUN_LIBRARY']!r} is not a file; point it at "
            f"{LIBRARY_NAME} (built by `make lib` in target/release) or unset it to use the "
            "library bundled with the package"
        )
    raise ImportError(f"werun: cannot find {LIBRARY_NAME} (looked at: {where}); {_HOW_TO_FIX}")


def _declare(lib: ctypes.CDLL, path: Path) -> None:
    for name, (restype, argtypes) in FUNCTIONS.items():
        try:
            fn = getattr(lib, name)
        except AttributeError as e:
            raise ImportError(
                f"werun: {path} has no symbol {name}: it is not libwerun or it is too old; "
                f"{_HOW_TO_FIX}"
            ) from e
        fn.restype = restype
        fn.argtypes = argtypes


def check_layout() -> None:
    """Raises ImportError when the ctypes structs do not have the C layout (LP64)."""
    if ctypes.sizeof(c_void_p) != 8:
        return  # no table for ILP32 targets; the fields themselves follow the C rules there.
    for struct, (size, offsets) in _LP64_LAYOUT.items():
        got = {name: getattr(struct, name).offset for name in offsets}
        if ctypes.sizeof(struct) != size or got != offsets:
            raise ImportError(
                f"werun: ctypes layout of {struct.__name__} (size {ctypes.sizeof(struct)}, "
                f"offsets {got}) differs from C (size {size}, offsets {offsets}): the binding "
                "does not match include/werun.h"
            )


def _check_abi(lib: ctypes.CDLL, path: Path) -> None:
    got = lib.werun_abi_version()
    if got != WERUN_ABI_VERSION:
        raise ImportError(
            f"werun: {path} has ABI version {got} but this binding needs {WERUN_ABI_VERSION}; "
            f"install a matching pair (same werun release): {_HOW_TO_FIX}"
        )
    check_layout()


lib, library_path = _load()
_declare(lib, library_path)
_check_abi(lib, library_path)
