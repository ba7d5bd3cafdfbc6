"""Statuses and exceptions: one exception class per ``werun_status``."""

from __future__ import annotations

import enum

from . import _ffi


class NamedIntEnum(enum.IntEnum):
    """An ``IntEnum`` whose ``str()`` and ``format()`` are the member's name on every Python.

    (``IntEnum.__str__`` gives ``Status.DECRYPT_FAILED`` before Python 3.11 and ``7`` from
    3.11 on, and ``format()`` gives ``7`` everywhere.) A numeric presentation type still
    formats the number: ``f"{status:d}"`` is ``7``, as are ``int(status)`` and ``.value``.
    """

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        try:
            return format(self.name, spec)
        except ValueError:  # a numeric spec ("d", "03", "x", ...)
            return int.__format__(self, spec)


class Status(NamedIntEnum):
    """``werun_status``: the result of every library call. Values never change.

    >>> import werun
    >>> str(werun.Status.DECRYPT_FAILED), int(werun.Status.DECRYPT_FAILED)
    ('DECRYPT_FAILED', 7)
    """

    OK = _ffi.WERUN_STATUS_OK
    NULL_ARGUMENT = _ffi.WERUN_STATUS_NULL_ARGUMENT
    SESSION_KEY_INVALID = _ffi.WERUN_STATUS_SESSION_KEY_INVALID
    IV_INVALID = _ffi.WERUN_STATUS_IV_INVALID
    ENCRYPTED_DATA_INVALID = _ffi.WERUN_STATUS_ENCRYPTED_DATA_INVALID
    CIPHERTEXT_LENGTH = _ffi.WERUN_STATUS_CIPHERTEXT_LENGTH
    BUFFER_TOO_SMALL = _ffi.WERUN_STATUS_BUFFER_TOO_SMALL
    DECRYPT_FAILED = _ffi.WERUN_STATUS_DECRYPT_FAILED
    APPID_MISMATCH = _ffi.WERUN_STATUS_APPID_MISMATCH
    WATERMARK_EXPIRED = _ffi.WERUN_STATUS_WATERMARK_EXPIRED
    CAPACITY_EXCEEDED = _ffi.WERUN_STATUS_CAPACITY_EXCEEDED
    INTERNAL = _ffi.WERUN_STATUS_INTERNAL
    INVALID_ARGUMENT = _ffi.WERUN_STATUS_INVALID_ARGUMENT

    @property
    def message(self) -> str:
        """The library's message for this status (``werun_status_str``)."""
        return status_message(self)

    @property
    def wx_code(self) -> int:
        """The code WeChat's ``WXBizDataCrypt`` sample gives for the same input (see
        :attr:`Error.wx_code`).

        >>> import werun
        >>> werun.Status.OK.wx_code, werun.Status.IV_INVALID.wx_code
        (0, -41002)
        """
        return wx_code(self)


def _uint32(status: object) -> int:
    """A status value as the C functions take it: an int from 0 to 2**32-1 (its exact value:
    an int subclass's methods are not called), never truncated to 32 bits as ctypes would."""
    kind = type(status)
    if not issubclass(kind, int) or kind is bool:
        raise TypeError(f"a status value is an int, not {kind.__name__}")
    value = int.__index__(status)  # type: ignore[arg-type]
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"a status value is 0 to 2**32-1, got {value}")
    return value


def status_message(status: int) -> str:
    """The library's static message for a status value, known or not (``werun_status_str``)."""
    return _ffi.lib.werun_status_str(_uint32(status)).decode("utf-8")


def wx_code(status: int) -> int:
    """The ``WXBizDataCrypt`` code for a status value, known or not (``werun_status_wx_code``)."""
    return _ffi.lib.werun_status_wx_code(_uint32(status))


class Error(Exception):
    """Base class of every werun failure.

    ``.status`` is the :class:`Status` (an ``int``), ``.message`` the library's message with
    advice (``werun_status_str``), which is also ``str(error)``.

    Only :class:`DecryptFailed` and the input errors should shape what a client is told, and
    then as one generic error: see :func:`werun.diagnose` for telling causes apart in logs.

    >>> import werun
    >>> try:
    ...     werun.decrypt_steps("bad!", "bad!", "", appid="wx4f4bc4dec97d474b")
    ... except werun.Error as e:
    ...     (type(e).__name__, e.status)
    ('SessionKeyInvalid', <Status.SESSION_KEY_INVALID: 2>)

    ``.wx_code`` is the code WeChat's official ``WXBizDataCrypt`` sample returns for the same
    input, for a backend that replaces it and must keep answering with its codes:
    ``-41001`` (``IllegalAesKey``) for :class:`SessionKeyInvalid`, ``-41002`` (``IllegalIv``)
    for :class:`IvInvalid`, ``-41004`` (``DecodeBase64Error``) for
    :class:`EncryptedDataInvalid`, and ``-41003`` (``IllegalBuffer``) for everything else:
    :class:`CiphertextLength`, :class:`DecryptFailed`, :class:`AppIdMismatch`, and the
    statuses the sample has no counterpart for (:class:`WatermarkExpired`,
    :class:`CapacityExceeded`, ...), as for an unknown status (``werun_status_wx_code``).

    >>> try:
    ...     werun.decrypt_steps("bad!", "bad!", "", appid="wx4f4bc4dec97d474b")
    ... except werun.Error as e:
    ...     e.wx_code
    -41001
    """

    status: Status = Status.INTERNAL  # overridden per subclass

    def __init__(self, message: str | None = None) -> None:
        if message is None:
            message = status_message(self.status)
        super().__init__(message)
        self.message = message

    @property
    def wx_code(self) -> int:
        """The ``WXBizDataCrypt`` sample's code for this error's status (see above)."""
        return wx_code(self.status)

    def __reduce__(self):  # pickling keeps the subclass and its message
        return (type(self), (self.message,))


class NullArgument(Error):
    """A required pointer was NULL (never raised by this binding's API: it passes none)."""

    status = Status.NULL_ARGUMENT


class SessionKeyInvalid(Error):
    """``session_key`` is not base64, or not 16 bytes."""

    status = Status.SESSION_KEY_INVALID


class IvInvalid(Error):
    """``iv`` is not base64, or not 16 bytes."""

    status = Status.IV_INVALID


class EncryptedDataInvalid(Error):
    """``encrypted_data`` is not base64."""

    status = Status.ENCRYPTED_DATA_INVALID


class CiphertextLength(Error):
    """The decoded ciphertext is empty or not a multiple of 16 bytes."""

    status = Status.CIPHERTEXT_LENGTH


class BufferTooSmall(Error):
    """A scratch buffer is too small (never raised by this binding's API: it sizes them)."""

    status = Status.BUFFER_TOO_SMALL


class DecryptFailed(Error):
    """Bad padding, not UTF-8, not JSON, or not the expected shape.

    Usually a stale or mismatched ``session_key`` (the user logged in again), the wrong ``iv``,
    or altered data. One error on purpose: see :func:`werun.diagnose`.
    """

    status = Status.DECRYPT_FAILED


class AppIdMismatch(Error):
    """The watermark is missing or belongs to another appid."""

    status = Status.APPID_MISMATCH


class WatermarkExpired(Error):
    """Freshness was asked for and the watermark is too old, in the future, or missing."""

    status = Status.WATERMARK_EXPIRED


class CapacityExceeded(Error):
    """More step entries than ``max_steps`` allowed."""

    status = Status.CAPACITY_EXCEEDED


class Internal(Error):
    """A bug was caught inside the library (should never be seen: please report it)."""

    status = Status.INTERNAL


class InvalidArgument(Error):
    """An argument was out of range for the C ABI (this binding checks its own first)."""

    status = Status.INVALID_ARGUMENT


ERRORS: dict[int, type[Error]] = {
    cls.status: cls
    for cls in (
        NullArgument, SessionKeyInvalid, IvInvalid, EncryptedDataInvalid, CiphertextLength,
        BufferTooSmall, DecryptFailed, AppIdMismatch, WatermarkExpired, CapacityExceeded,
        Internal, InvalidArgument,
    )
}

# The library's messages are static: read each once.
_INSTANCE_MESSAGES = {code: status_message(code) for code in ERRORS}


def error_for(status: int) -> Error:
    """The exception for a non-OK status value (an unknown value gives a plain :class:`Error`)."""
    cls = ERRORS.get(status)
    if cls is None:
        err = Error(status_message(status))
        err.status = status  # type: ignore[assignment]
        return err
    return cls(_INSTANCE_MESSAGES[status])
