"""Re-entrancy: Python code that runs while the binding reads its arguments (an ``int``
subclass's comparisons or ``__index__``, a ``str`` subclass's ``__str__``, a ``bytes``
subclass's ``__bytes__``, a list subclass's ``__len__``/``__iter__``) must not change what a
call checks, nor run after the call's buffers are prepared. The binding reads each argument
once, as the exact built-in value (an ``int`` subclass's value, a ``str`` subclass's
characters, a ``bytes`` subclass's bytes), without calling their methods; every hook below
calls werun again with other options (``meddle``) and lies, and must never be called."""

from __future__ import annotations

import pytest

import werun
from werun import _errors

from conftest import load_vectors

VECTORS = load_vectors()
SAMPLE = VECTORS["sample"]
KEY, IV, DATA, APPID = (SAMPLE[f] for f in ("session_key", "iv", "encrypted_data", "appid"))
STEPS = tuple(werun.Step(t, s) for t, s in SAMPLE["expect"]["steps"])
WATERMARK = SAMPLE["expect"]["watermark_timestamp"]
OTHER = "wx0000000000000000"
SPACED = DATA.replace("+", " ")  # accepted only without strict_base64
BIG = next(v for v in VECTORS["vectors"] if v["id"] == "entries-33-over-capacity")
STALE_KEY = "AAAAAAAAAAAAAAAAAAAAAA=="

hooks_called = []


def meddle(name):
    """What every hook does: records itself, then calls werun with other options."""
    hooks_called.append(name)
    for call in (
        lambda: werun.decrypt_steps(KEY, IV, SPACED, appid=None, now=WATERMARK, max_age=2**40,
                                    max_steps=1000),
        lambda: werun.decrypt_steps([KEY, STALE_KEY], IV, DATA, appid=APPID, max_steps=0),
        lambda: werun.open_data(KEY, IV, SPACED, appid=None),
        lambda: werun.diagnose(KEY, IV, SPACED),
        lambda: werun.decrypt_steps(BIG["session_key"], BIG["iv"], BIG["encrypted_data"],
                                    appid=None),
    ):
        try:
            call()
        except werun.Error:
            pass


class LyingInt(int):
    """An int whose every operation meddles, and lies: it claims to be 0 and smaller than
    anything (the old binding compared max_steps with 32 and passed the int's own value as the
    capacity of a 32-entry array)."""

    def __index__(self):
        meddle("__index__")
        return 0

    def __int__(self):
        meddle("__int__")
        return 0

    def __lt__(self, other):
        meddle("__lt__")
        return True

    def __le__(self, other):
        meddle("__le__")
        return True

    def __gt__(self, other):
        meddle("__gt__")
        return False

    def __ge__(self, other):
        meddle("__ge__")
        return False

    def __eq__(self, other):
        meddle("__eq__")
        return False

    __hash__ = int.__hash__

    def __mul__(self, other):
        meddle("__mul__")
        return 0

    __rmul__ = __mul__


class LyingStr(str):
    """A str whose __str__ and encode meddle and give another appid."""

    def __str__(self):
        meddle("__str__")
        return OTHER

    def encode(self, *args):
        meddle("encode")
        return OTHER.encode()


class LyingBytes(bytes):
    def __bytes__(self):
        meddle("__bytes__")
        return OTHER.encode()


class LyingList(list):
    """A list of keys whose __len__ says 2, and whose __iter__ gives 5."""

    def __len__(self):
        meddle("__len__")
        return 2

    def __iter__(self):
        meddle("__iter__")
        return iter([STALE_KEY] * 4 + [KEY])


@pytest.fixture(autouse=True)
def no_hooks_called():
    hooks_called.clear()
    yield
    assert hooks_called == [], f"the binding called {hooks_called}"


@pytest.mark.parametrize("keys", [KEY, [STALE_KEY, KEY]], ids=["one key", "candidate keys"])
def test_max_steps_is_read_as_its_value_without_calling_its_methods(keys):
    big = (BIG["session_key"] if keys == KEY else [STALE_KEY, BIG["session_key"]],
           BIG["iv"], BIG["encrypted_data"])
    # 33 entries, max_steps 33 (more than the 32-entry array the binding keeps): every entry.
    data = werun.decrypt_steps(*big, appid=None, max_steps=LyingInt(33))
    assert len(data.steps) == 33
    with pytest.raises(werun.CapacityExceeded):
        werun.decrypt_steps(*big, appid=None, max_steps=LyingInt(32))
    sample = (keys, IV, DATA)
    with pytest.raises(werun.CapacityExceeded):
        werun.decrypt_steps(*sample, appid=APPID, max_steps=LyingInt(30))
    assert werun.decrypt_steps(*sample, appid=APPID, max_steps=LyingInt(31)).steps == STEPS


def test_now_and_max_age_are_read_as_their_values_without_calling_their_methods():
    # A stale watermark is still refused, and out-of-range values are still out of range.
    with pytest.raises(werun.WatermarkExpired):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=LyingInt(WATERMARK + 1000000),
                            max_age=LyingInt(10))
    with pytest.raises(werun.WatermarkExpired):
        werun.open_data(KEY, IV, DATA, appid=APPID, now=LyingInt(WATERMARK + 1000000),
                        max_age=LyingInt(10))
    with pytest.raises(ValueError):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=LyingInt(WATERMARK),
                            max_age=LyingInt(2**64 + 5))
    with pytest.raises(ValueError):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=LyingInt(2**63),
                            max_age=LyingInt(10))
    data = werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=LyingInt(WATERMARK + 5),
                               max_age=LyingInt(10))
    assert data.steps == STEPS


@pytest.mark.parametrize("kind", [LyingStr, lambda s: LyingBytes(s.encode())],
                         ids=["str subclass", "bytes subclass"])
def test_text_subclasses_are_read_as_their_characters_or_bytes(kind):
    assert werun.decrypt_steps(kind(KEY), kind(IV), kind(DATA), appid=kind(APPID)).steps == STEPS
    with pytest.raises(werun.AppIdMismatch):
        werun.decrypt_steps(KEY, IV, DATA, appid=kind(OTHER))
    with pytest.raises(werun.EncryptedDataInvalid):
        werun.decrypt_steps(KEY, IV, kind(SPACED), appid=APPID, strict_base64=True)
    assert werun.decrypt_steps([kind(STALE_KEY), kind(KEY)], IV, DATA,
                               appid=kind(APPID)).key_index == 1
    assert werun.open_data(kind(KEY), kind(IV), kind(DATA), appid=kind(APPID)).json
    assert werun.diagnose(kind(KEY), kind(IV), kind(DATA)) is werun.Diagnosis.WERUN_DATA


def test_candidate_keys_are_counted_as_they_are_read():
    # __len__ says 2 and __iter__ gives 5: the keys are read once, then counted.
    with pytest.raises(ValueError, match="1 to 4 candidate keys, got 5"):
        werun.decrypt_steps(LyingList(), IV, DATA, appid=APPID)
    hooks_called.clear()  # __iter__ is how a list subclass gives its items: it may be called


def test_status_codes_are_uint32_never_truncated():
    # Not public (Status(...).message is), but what every message goes through.
    for fn in (_errors.status_message, _errors.wx_code):
        assert fn(1) == fn(werun.Status(1))
        for bad in (2**32 + 1, 2**32, -1, 2**64):
            with pytest.raises(ValueError):
                fn(bad)
        for bad in (1.0, "1", None):
            with pytest.raises(TypeError):
                fn(bad)
        assert fn(2**32 - 1) == fn(2**32 - 1)
    assert _errors.status_message(1) != _errors.status_message(2**32 - 1)
