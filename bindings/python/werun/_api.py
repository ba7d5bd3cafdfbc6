"""The public functions: decrypt_steps, open_data, diagnose."""

from __future__ import annotations

import ctypes
import struct
import threading
from itertools import repeat
from typing import List, NamedTuple, Optional, Tuple, Union

from . import _ffi
from ._errors import CapacityExceeded, NamedIntEnum, error_for

Text = Union[str, bytes, bytearray]
"""What the text arguments accept: ``str`` (encoded as UTF-8), ``bytes`` or ``bytearray``."""

SessionKeys = Union[Text, List[Text], Tuple[Text, ...]]
"""What ``decrypt_steps``'s ``session_key`` accepts: one key, or a list or tuple of 1 to
:data:`MAX_CANDIDATE_KEYS` candidate keys tried in order."""

_lib = _ffi.lib
_decrypt_steps = _lib.werun_decrypt_steps
_open_data = _lib.werun_open_data
_diagnose = _lib.werun_diagnose
_scratch_len = _lib.werun_scratch_len
_decrypt_steps_with_keys = _lib.werun_decrypt_steps_with_keys
_scratch_len_with_keys = _lib.werun_scratch_len_with_keys

_I64_MIN, _I64_MAX, _U64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1
_DEFAULT_CAPACITY = _ffi.WERUN_DEFAULT_CAPACITY
_OK = _ffi.WERUN_STATUS_OK
_CAPACITY_EXCEEDED = _ffi.WERUN_STATUS_CAPACITY_EXCEEDED
_STRICT = _ffi.WERUN_OPTION_STRICT_BASE64
_SKIP_APPID = _ffi.WERUN_OPTION_SKIP_APPID_CHECK
_FRESHNESS = _ffi.WERUN_OPTION_CHECK_FRESHNESS

MAX_CANDIDATE_KEYS = _ffi.WERUN_MAX_CANDIDATE_KEYS
"""The most candidate keys one :func:`decrypt_steps` call takes (``WERUN_MAX_CANDIDATE_KEYS``)."""


class Step(NamedTuple):
    """One day of WeRun data.

    >>> s = Step(timestamp=1717171200, step=15024)
    >>> s.step, tuple(s)
    (15024, (1717171200, 15024))
    """

    timestamp: int
    """Start of the day (00:00 UTC+8), Unix seconds."""
    step: int
    """Steps walked that day."""


class WeRunData(NamedTuple):
    """What :func:`decrypt_steps` returns (immutable).

    ``steps`` is a tuple of :class:`Step` in document order (oldest first in real data);
    ``watermark_timestamp`` is the watermark's Unix time, or ``None`` when the payload had no
    watermark (possible only with ``appid=None``); ``key_index`` is the index of the
    candidate ``session_key`` that decrypted the data (always ``0`` for a single key).

    ``key_index`` is the last field and has a default, so ``WeRunData(steps,
    watermark_timestamp)`` builds a single-key result; the tuple has three items (unpack
    ``steps, watermark_timestamp, key_index``).
    """

    steps: tuple[Step, ...]
    watermark_timestamp: Optional[int]
    key_index: int = 0


class OpenData(NamedTuple):
    """What :func:`open_data` returns (immutable).

    ``json`` is the decrypted plaintext JSON text, unparsed (``json.loads`` it);
    ``watermark_timestamp`` as in :class:`WeRunData`.
    """

    json: str
    watermark_timestamp: Optional[int]


class Diagnosis(NamedIntEnum):
    """``werun_diagnosis``: the likely cause of a :class:`~werun.DecryptFailed`, for logs only.

    ``str()`` is the name (``SESSION_KEY_MISMATCH``), ``.message`` the library's explanation.
    """

    WERUN_DATA = _ffi.WERUN_DIAGNOSIS_WERUN_DATA
    NOT_WERUN_DATA = _ffi.WERUN_DIAGNOSIS_NOT_WERUN_DATA
    SESSION_KEY_MISMATCH = _ffi.WERUN_DIAGNOSIS_SESSION_KEY_MISMATCH
    IV_MISMATCH = _ffi.WERUN_DIAGNOSIS_IV_MISMATCH
    GARBLED = _ffi.WERUN_DIAGNOSIS_GARBLED
    TRUNCATED = _ffi.WERUN_DIAGNOSIS_TRUNCATED

    @property
    def message(self) -> str:
        """The library's explanation (``werun_diagnosis_str``)."""
        return _lib.werun_diagnosis_str(self).decode("utf-8")


# --- steps: from the C array to Step tuples, in C loops --------------------------------------
#
# The step array is read with struct.iter_unpack, and each (timestamp, step) pair becomes a
# Step through tuple.__new__(Step, pair) called by map(): no Python-level call per entry.

_STEP_SIZE = ctypes.sizeof(_ffi.werun_step)
# int64 timestamp, uint32 step, then the struct's tail padding, in native byte order.
_STEP_STRUCT = struct.Struct(f"=qI{_STEP_SIZE - 12}x")
_new_tuple = tuple.__new__
# size_t count, int64 watermark_timestamp, uint8 has_watermark, with the C alignment ("@").
_SUMMARY_STRUCT = struct.Struct(
    "@NqB" + "x" * (ctypes.sizeof(_ffi.werun_summary) - struct.calcsize("@NqB")))
_UTF8, _SURROGATEPASS = "utf-8", "surrogatepass"


# --- per-thread buffers ---------------------------------------------------------------------


class _Buffers(threading.local):
    """Each thread's scratch, step array and out-structs, reused from call to call.

    The library wipes the scratch before it returns and zeroes the step array on failure; a
    thread reads its buffers right after its own call, so reusing them is safe, and no other
    thread ever sees them.
    """

    def __init__(self) -> None:
        self.steps = bytearray(_DEFAULT_CAPACITY * _STEP_SIZE)
        self.steps_address = ctypes.addressof(ctypes.c_char.from_buffer(self.steps))
        # werun_summary, backed by bytes that one struct call reads.
        self.summary = bytearray(ctypes.sizeof(_ffi.werun_summary))
        self.summary_ref = ctypes.byref(_ffi.werun_summary.from_buffer(self.summary))
        self.result = _ffi.werun_open_data_result()
        self.result_ref = ctypes.byref(self.result)
        self.diagnosis = ctypes.c_uint32()
        self.diagnosis_ref = ctypes.byref(self.diagnosis)
        self.key_index = ctypes.c_size_t()
        self.key_index_ref = ctypes.byref(self.key_index)
        self.scratch = ctypes.create_string_buffer(0)
        self.scratch_len = 0
        self.max_input_len = -1  # the longest input the scratch is known to fit
        self._update_hot()

    def _update_hot(self) -> None:
        # What decrypt_steps needs, in one attribute read.
        self.hot = (self.scratch, self.scratch_len, self.steps, self.steps_address,
                    self.summary, self.summary_ref)

    def scratch_for(self, input_len: int) -> ctypes.Array:
        self._grow(_scratch_len(input_len))
        self.max_input_len = max(self.max_input_len, input_len)
        return self.scratch

    def scratch_for_keys(self, input_len: int) -> ctypes.Array:
        """The scratch for the candidate-key call (twice the single key's)."""
        self._grow(_scratch_len_with_keys(input_len))
        return self.scratch

    def _grow(self, need: int) -> None:
        if need > self.scratch_len:
            self.scratch = ctypes.create_string_buffer(max(need, 2 * self.scratch_len))
            self.scratch_len = len(self.scratch)
            self._update_hot()


_buffers = _Buffers()

# --- argument checks (all before any foreign call) ------------------------------------------
#
# Every argument is read once and turned into an exact built-in value (bytes, int, bool,
# None) before any buffer is touched or any struct is made: a subclass's methods are never
# called (a str subclass is its characters, a bytes subclass its bytes, an int subclass its
# value: not what __str__, __bytes__, __index__ or its comparisons say). So no Python code runs
# between the moment a call takes its thread's buffers and the moment it has read its results,
# and nothing it passes can disagree with what it checked (an int subclass whose comparisons
# lied once made the capacity passed larger than the step array). A list or tuple subclass of
# candidate keys is iterated once (its __iter__ may run: before anything native) and counted
# afterwards.


def _text(value: object, name: str) -> bytes:
    kind = type(value)
    if kind is bytes:
        return value  # type: ignore[return-value]
    if kind is str:
        return value.encode("utf-8", "surrogatepass")  # type: ignore[union-attr]
    if issubclass(kind, str):
        return str.encode(value, "utf-8", "surrogatepass")  # type: ignore[arg-type]
    if issubclass(kind, bytes):
        return bytes.__getitem__(value, slice(None))  # type: ignore[arg-type]
    if issubclass(kind, bytearray):
        return bytes(bytearray.__getitem__(value, slice(None)))  # type: ignore[arg-type]
    raise TypeError(f"{name} must be str or bytes, not {kind.__name__}")


def _session_keys(value: Union[list, tuple]) -> list[bytes]:
    """The candidate keys of a list or tuple, read once, then checked (count, each type)."""
    items = list(value)
    if not 1 <= len(items) <= MAX_CANDIDATE_KEYS:
        raise ValueError(
            f"session_key: a list or tuple of 1 to {MAX_CANDIDATE_KEYS} candidate keys, "
            f"got {len(items)}")
    return [_text(k, f"session_key[{i}]") for i, k in enumerate(items)]


def _is_int(value: object) -> bool:
    kind = type(value)
    return issubclass(kind, int) and kind is not bool


def _int(value: int) -> int:
    """An int (after _is_int) as an exact int: a subclass's value, none of its methods."""
    return value if type(value) is int else int.__index__(value)


# Options without freshness are the same from call to call: keep one struct per
# (appid, strict_base64). The library only reads them, so threads can share them.
_options_cache: dict[tuple[Optional[bytes], bool], _ffi.werun_options] = {}
# The same for a str appid without strict_base64 (the usual call), keyed by the str itself.
_appid_options: dict[str, _ffi.werun_options] = {}
_OPTIONS_CACHE_MAX = 64


def _options(appid: object, now: object, max_age: object, strict_base64: object
             ) -> _ffi.werun_options:
    if type(strict_base64) is not bool:
        raise TypeError(f"strict_base64 must be bool, not {type(strict_base64).__name__}")
    appid_bytes = None if appid is None else _text(appid, "appid")
    if now is None and max_age is None:
        key = (appid_bytes, strict_base64)
        options = _options_cache.get(key)
        if options is None:
            options = _make_options(appid_bytes, strict_base64, 0, 0, 0)
            if len(_options_cache) >= _OPTIONS_CACHE_MAX:
                _options_cache.clear()
            _options_cache[key] = options
        if type(appid) is str and not strict_base64:
            if len(_appid_options) >= _OPTIONS_CACHE_MAX:
                _appid_options.clear()
            _appid_options[appid] = options  # type: ignore[index]
        return options
    if now is None or max_age is None:
        raise TypeError("now and max_age go together: pass both for a freshness check, or neither")
    if not _is_int(now):
        raise TypeError(f"now must be int (Unix seconds), not {type(now).__name__}")
    if not _is_int(max_age):
        raise TypeError(f"max_age must be int (seconds), not {type(max_age).__name__}")
    now, max_age = _int(now), _int(max_age)  # type: ignore[arg-type]
    if not _I64_MIN <= now <= _I64_MAX:  # type: ignore[operator]
        raise ValueError(f"now must fit in int64, got {now}")
    if not 0 <= max_age <= _U64_MAX:  # type: ignore[operator]
        raise ValueError(f"max_age must be 0..2**64-1 seconds, got {max_age}")
    return _make_options(appid_bytes, strict_base64, _FRESHNESS, now, max_age)  # type: ignore[arg-type]


def _make_options(appid: Optional[bytes], strict_base64: bool, flags: int, now: int,
                  max_age: int) -> _ffi.werun_options:
    if strict_base64:
        flags |= _STRICT
    if appid is None:
        return _ffi.werun_options(None, 0, flags | _SKIP_APPID, now, max_age)
    return _ffi.werun_options(appid, len(appid), flags, now, max_age)


def _max_steps(max_steps: object) -> Optional[int]:
    if max_steps is None:
        return None
    if not _is_int(max_steps):
        raise TypeError(f"max_steps must be int or None, not {type(max_steps).__name__}")
    max_steps = _int(max_steps)  # type: ignore[arg-type]
    if max_steps < 0:
        raise ValueError(f"max_steps must be >= 0, got {max_steps}")
    return max_steps


# --- the API --------------------------------------------------------------------------------


def decrypt_steps(
    session_key: SessionKeys,
    iv: Text,
    encrypted_data: Text,
    *,
    appid: Optional[Text],
    now: Optional[int] = None,
    max_age: Optional[int] = None,
    strict_base64: bool = False,
    max_steps: Optional[int] = None,
) -> WeRunData:
    """Decrypts WeRun data (``encryptedData`` from ``wx.getWeRunData``) and returns its steps.

    Args:
        session_key: the user's ``session_key`` from ``code2Session``, base64; or a list or
            tuple of 1 to :data:`MAX_CANDIDATE_KEYS` candidate keys (for a key rotated by a
            new ``wx.login``: the current one and the previous one), tried in this order.
            The data is decoded once; the result's ``key_index`` says which key worked. Every
            candidate must be base64 of 16 bytes (``SessionKeyInvalid`` otherwise, even when
            another one would have worked); when none decrypts the data, ``DecryptFailed``.
        iv: the ``iv`` the mini-program sent with the data, base64.
        encrypted_data: ``encryptedData`` as received, base64. Damage done by web frameworks
            (``+`` turned into a space, line breaks, the URL-safe alphabet, missing ``=``) is
            repaired unless ``strict_base64`` is true.
        appid: required keyword: your mini-program's appid, compared exactly with
            ``watermark.appid``. Pass ``appid=None`` to skip the check (only then is a payload
            without a watermark accepted).
        now, max_age: both or neither: the current Unix time and the largest watermark age
            accepted, in seconds (a watermark from the future is refused too).
        strict_base64: accept canonical RFC 4648 base64 only.
        max_steps: the most entries accepted (``CapacityExceeded`` beyond). ``None``, the
            default, returns every entry, however many.

    Returns:
        WeRunData(steps, watermark_timestamp, key_index), where ``steps`` is a tuple of
        ``Step`` and ``key_index`` the index of the candidate key that worked (``0`` for a
        single key).

    Raises:
        werun.Error: the subclass for the library's status (``DecryptFailed``,
            ``AppIdMismatch``, ...). Tell a client one generic error; log the details.
        TypeError, ValueError: a bad argument (an empty list of keys, or more than
            ``MAX_CANDIDATE_KEYS``), before anything is decrypted.

    Example:
        >>> import werun
        >>> session_key, iv = "8gezx7GzWo8NuM6UcoNuGQ==", "n52NClYRBBIWTqAxFp1oXw=="
        >>> encrypted_data = (
        ...     "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotR"
        ...     "BKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvj"
        ...     "o9vEwaKOEm4nE+DzVjI=")
        >>> data = werun.decrypt_steps(session_key, iv, encrypted_data,
        ...                            appid="wx4f4bc4dec97d474b")
        >>> data.steps
        (Step(timestamp=1717171200, step=21014),)
        >>> data.watermark_timestamp
        1717201234

        With the previous session_key kept after a new ``wx.login`` (here, a stale key is
        tried first):

        >>> stale_key = "i0vns4pveFuOIEpP3pxrbQ=="
        >>> data = werun.decrypt_steps([stale_key, session_key], iv, encrypted_data,
        ...                            appid="wx4f4bc4dec97d474b")
        >>> data.key_index, len(data.steps)
        (1, 1)
    """
    # The common call (str or bytes text, an appid, no freshness, no max_steps) takes the
    # shortest path: every check below is done in the general path too.
    kind = type(session_key)
    if kind is str:
        key = session_key.encode(_UTF8, _SURROGATEPASS)  # type: ignore[union-attr]
    elif kind is bytes:
        key = session_key  # type: ignore[assignment]
    elif issubclass(kind, (list, tuple)):
        return _decrypt_with_keys(session_key, iv, encrypted_data, appid, now, max_age,
                                  strict_base64, max_steps)
    elif issubclass(kind, (str, bytes, bytearray)):
        key = _text(session_key, "session_key")
    else:
        raise TypeError(f"session_key must be str or bytes, or a list or tuple of 1 to "
                        f"{MAX_CANDIDATE_KEYS} of them, not {kind.__name__}")
    kind = type(iv)
    iv_ = iv.encode(_UTF8, _SURROGATEPASS) if kind is str else (
        iv if kind is bytes else _text(iv, "iv"))
    kind = type(encrypted_data)
    data = encrypted_data.encode(_UTF8, _SURROGATEPASS) if kind is str else (
        encrypted_data if kind is bytes else _text(encrypted_data, "encrypted_data"))
    options = None
    if now is None and max_age is None and strict_base64 is False and type(appid) is str:
        options = _appid_options.get(appid)
    if options is None:
        options = _options(appid, now, max_age, strict_base64)
    limit = None if max_steps is None else _max_steps(max_steps)

    buffers = _buffers
    n = len(data)
    if n > buffers.max_input_len:
        buffers.scratch_for(n)
    scratch, scratch_len, steps, steps_address, summary, summary_ref = buffers.hot
    if limit is None or limit <= _DEFAULT_CAPACITY:
        status = _decrypt_steps(key, len(key), iv_, len(iv_), data, n, options,
                                scratch, scratch_len, steps_address,
                                _DEFAULT_CAPACITY if limit is None else limit, summary_ref)
        if status == _CAPACITY_EXCEEDED and limit is None:
            status, steps = _decrypt_many(key, iv_, data, options, None)
    else:
        status, steps = _decrypt_many(key, iv_, data, options, limit)
    if status:
        raise error_for(status)
    count, watermark_timestamp, has_watermark = _SUMMARY_STRUCT.unpack(summary)
    return _new_tuple(WeRunData, (
        tuple(map(_new_tuple, repeat(Step, count),
                  _STEP_STRUCT.iter_unpack(memoryview(steps)[: count * _STEP_SIZE]))),
        watermark_timestamp if has_watermark else None,
        0,
    ))


def _decrypt_with_keys(session_keys: Union[list, tuple], iv: Text, encrypted_data: Text,
                       appid: Optional[Text], now: Optional[int], max_age: Optional[int],
                       strict_base64: bool, max_steps: Optional[int]) -> WeRunData:
    """decrypt_steps with a list or tuple of candidate keys: werun_decrypt_steps_with_keys."""
    keys = _session_keys(session_keys)
    iv_ = _text(iv, "iv")
    data = _text(encrypted_data, "encrypted_data")
    options = _options(appid, now, max_age, strict_base64)
    limit = _max_steps(max_steps)
    # The bytes objects in `keys` stay alive until the call returns; the structs point into them.
    candidates = (_ffi.werun_bytes * len(keys))(*[(k, len(k)) for k in keys])
    buffers = _buffers
    buffers.scratch_for_keys(len(data))
    capacity = _DEFAULT_CAPACITY if limit is None else min(limit, _DEFAULT_CAPACITY)
    steps = buffers.steps
    status = _decrypt_steps_with_keys(
        candidates, len(keys), iv_, len(iv_), data, len(data), options, buffers.scratch,
        buffers.scratch_len, buffers.steps_address, capacity, buffers.summary_ref,
        buffers.key_index_ref)
    if status == _CAPACITY_EXCEEDED and (limit is None or limit > _DEFAULT_CAPACITY):
        status, steps = _decrypt_many(keys, iv_, data, options, limit)
    if status:
        raise error_for(status)
    count, watermark_timestamp, has_watermark = _SUMMARY_STRUCT.unpack(buffers.summary)
    return _new_tuple(WeRunData, (
        tuple(map(_new_tuple, repeat(Step, count),
                  _STEP_STRUCT.iter_unpack(memoryview(steps)[: count * _STEP_SIZE]))),
        watermark_timestamp if has_watermark else None,
        buffers.key_index.value,
    ))


def _decrypt_many(key: Union[bytes, list[bytes]], iv: bytes, data: bytes,
                  options: _ffi.werun_options, limit: Optional[int]) -> tuple[int, bytearray]:
    """The rare call with more than WERUN_DEFAULT_CAPACITY entries: a bigger step array.

    Every entry is at least ``{"step":0,"timestamp":0}`` (24 bytes) of plaintext, so an array
    of plaintext_size // 16 + 1 entries holds them all: one retry is enough. ``key`` is one
    key, or the candidate keys (then the scratch is already sized for them).
    """
    buffers = _buffers
    fits_all = _scratch_len(len(data)) // 16 + 1
    capacity = fits_all if limit is None else min(limit, fits_all)
    steps = bytearray(capacity * _STEP_SIZE)
    address = ctypes.addressof(ctypes.c_char.from_buffer(steps))
    if isinstance(key, list):
        candidates = (_ffi.werun_bytes * len(key))(*[(k, len(k)) for k in key])
        status = _decrypt_steps_with_keys(
            candidates, len(key), iv, len(iv), data, len(data), options, buffers.scratch,
            buffers.scratch_len, address, capacity, buffers.summary_ref, buffers.key_index_ref)
    else:
        status = _decrypt_steps(key, len(key), iv, len(iv), data, len(data), options,
                                buffers.scratch, buffers.scratch_len, address, capacity,
                                buffers.summary_ref)
    if status == _CAPACITY_EXCEEDED and limit is None:
        raise CapacityExceeded()  # cannot happen (see above); never truncate silently
    return status, steps


def open_data(
    session_key: Text,
    iv: Text,
    encrypted_data: Text,
    *,
    appid: Optional[Text],
    now: Optional[int] = None,
    max_age: Optional[int] = None,
    strict_base64: bool = False,
) -> OpenData:
    """Decrypts any WeChat open data (phone number, user info, share info, WeRun data).

    Checks the padding, that the plaintext is a JSON object, and its watermark (``appid``,
    and freshness with ``now``/``max_age``) exactly as :func:`decrypt_steps` does, and returns
    the JSON text unparsed. Arguments as in :func:`decrypt_steps`.

    Returns:
        OpenData(json, watermark_timestamp): ``json`` is a ``str``.

    Example:
        >>> import json, werun
        >>> session_key, iv = "8gezx7GzWo8NuM6UcoNuGQ==", "n52NClYRBBIWTqAxFp1oXw=="
        >>> encrypted_data = (
        ...     "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotR"
        ...     "BKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvj"
        ...     "o9vEwaKOEm4nE+DzVjI=")
        >>> opened = werun.open_data(session_key, iv, encrypted_data, appid="wx4f4bc4dec97d474b")
        >>> json.loads(opened.json)["stepInfoList"]
        [{'timestamp': 1717171200, 'step': 21014}]
    """
    key = _text(session_key, "session_key")
    iv_ = _text(iv, "iv")
    data = _text(encrypted_data, "encrypted_data")
    options = _options(appid, now, max_age, strict_base64)
    buffers = _buffers
    n = len(data)
    scratch = buffers.scratch if n <= buffers.max_input_len else buffers.scratch_for(n)
    status = _open_data(key, len(key), iv_, len(iv_), data, n, options,
                        scratch, buffers.scratch_len, buffers.result_ref)
    if status:
        raise error_for(status)
    result = buffers.result
    length = result.json_len
    try:
        text = ctypes.string_at(scratch, length).decode("utf-8")
    finally:
        ctypes.memset(scratch, 0, length)  # the plaintext does not outlive the call
    return OpenData(text, result.watermark_timestamp if result.has_watermark else None)


def diagnose(
    session_key: Text,
    iv: Text,
    encrypted_data: Text,
    *,
    strict_base64: bool = False,
) -> Diagnosis:
    """Names the likely cause of a :class:`~werun.DecryptFailed`, **for server logs only**.

    Never tell a client which it was: telling these causes apart is a padding oracle that lets
    a client forge step counts. Raises the input errors (``SessionKeyInvalid``, ...) for data
    that cannot be decrypted at all.

    Example:
        >>> import werun
        >>> session_key, iv = "8gezx7GzWo8NuM6UcoNuGQ==", "n52NClYRBBIWTqAxFp1oXw=="
        >>> encrypted_data = (
        ...     "YjfpRMRCa+Ym3GpvlQisOyLkR0adJysfyBklFyLIivNdPIoemEi7hFr6dd8FiGGgfX5yDmorVotR"
        ...     "BKvJ4tauI1841ZTI8LCRRAVbeg+tW/xOKPwW7zOGNkymPn1REL5QrMR9UqNaUlZvZ7NfnQKppkvj"
        ...     "o9vEwaKOEm4nE+DzVjI=")
        >>> werun.diagnose(session_key, iv, encrypted_data)
        <Diagnosis.WERUN_DATA: 0>
        >>> cause = werun.diagnose("AAAAAAAAAAAAAAAAAAAAAA==", iv, encrypted_data)
        >>> print(cause, "-", cause.message)  # doctest: +ELLIPSIS
        SESSION_KEY_MISMATCH - ...
    """
    key = _text(session_key, "session_key")
    iv_ = _text(iv, "iv")
    data = _text(encrypted_data, "encrypted_data")
    if type(strict_base64) is not bool:
        raise TypeError(f"strict_base64 must be bool, not {type(strict_base64).__name__}")
    buffers = _buffers
    n = len(data)
    scratch = buffers.scratch if n <= buffers.max_input_len else buffers.scratch_for(n)
    status = _diagnose(key, len(key), iv_, len(iv_), data, n, _STRICT if strict_base64 else 0,
                       scratch, buffers.scratch_len, buffers.diagnosis_ref)
    if status:
        raise error_for(status)
    return Diagnosis(buffers.diagnosis.value)
