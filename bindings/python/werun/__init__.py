"""werun: decrypt WeChat WeRun (``wx.getWeRunData``) step data, over libwerun's C ABI.

>>> import werun
>>> session_key, iv = "8gezx7GzWo8NuM6UcoNuGQ==", "n52NClYRBBIWTqAxFp1oXw=="
>>> encrypted_data = (
...     "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotR"
...     "BKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvj"
...     "o9vEwaKOEm4nE+DzVjI=")
>>> data = werun.decrypt_steps(session_key, iv, encrypted_data, appid="wx4f4bc4dec97d474b")
>>> for day in data.steps:
...     print(day.timestamp, day.step)
1717171200 21014

Every failure is a :class:`werun.Error` subclass, one per library status
(``werun.DecryptFailed``, ``werun.AppIdMismatch``, ...), with ``.status``, the library's
message and ``.wx_code`` (the code WeChat's ``WXBizDataCrypt`` sample gives). ``session_key``
may also be a list of candidate keys (the current one and the one before a new ``wx.login``);
the result's ``key_index`` says which one worked. The library is loaded with ctypes from ``$WERUN_LIBRARY``, the package directory, or
``target/release`` of a checkout; the GIL is released during each call, and calls from many
threads at once are safe.
"""

from ._api import (
    MAX_CANDIDATE_KEYS,
    Diagnosis,
    OpenData,
    SessionKeys,
    Step,
    Text,
    WeRunData,
    decrypt_steps,
    diagnose,
    open_data,
)
from ._errors import (
    AppIdMismatch,
    BufferTooSmall,
    CapacityExceeded,
    CiphertextLength,
    DecryptFailed,
    EncryptedDataInvalid,
    Error,
    Internal,
    InvalidArgument,
    IvInvalid,
    NullArgument,
    SessionKeyInvalid,
    Status,
    WatermarkExpired,
)
from ._ffi import WERUN_ABI_VERSION, WERUN_DEFAULT_CAPACITY, library_path as _library_path
from ._ffi import lib as _lib

__version__ = "0.1.0"
"""The package version: the crate's (``Cargo.toml``), checked by setup.py and the tests."""

ABI_VERSION = WERUN_ABI_VERSION
"""The C ABI version this binding was written for (checked against the library at import)."""

DEFAULT_CAPACITY = WERUN_DEFAULT_CAPACITY
"""Entries that fit without a second call (every real WeRun payload has 31)."""

LIBRARY_PATH = str(_library_path)
"""Where the loaded libwerun came from."""

LIBRARY_VERSION: str = _lib.werun_version().decode("utf-8")
"""The loaded library's version (``werun_version()``)."""

__all__ = [
    "ABI_VERSION", "DEFAULT_CAPACITY", "LIBRARY_PATH", "LIBRARY_VERSION", "MAX_CANDIDATE_KEYS",
    "Diagnosis", "OpenData", "SessionKeys", "Status", "Step", "Text", "WeRunData",
    "decrypt_steps", "diagnose", "open_data",
    "Error", "NullArgument", "SessionKeyInvalid", "IvInvalid", "EncryptedDataInvalid",
    "CiphertextLength", "BufferTooSmall", "DecryptFailed", "AppIdMismatch",
    "WatermarkExpired", "CapacityExceeded", "Internal", "InvalidArgument",
]
