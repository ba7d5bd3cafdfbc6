"""The Python API's own rules: argument types and checks, results, errors."""

from __future__ import annotations

import ctypes
import pickle

import pytest

import werun
from werun import _api, _errors, _ffi

from conftest import load_vectors

SAMPLE = load_vectors()["sample"]
KEY, IV, DATA, APPID = (SAMPLE[f] for f in ("session_key", "iv", "encrypted_data", "appid"))
STEPS = tuple(werun.Step(t, s) for t, s in SAMPLE["expect"]["steps"])


@pytest.fixture
def no_foreign_calls(monkeypatch):
    """Fails the test if any decrypting C function is called."""

    def forbidden(*args):
        raise AssertionError("a foreign call was made")

    for name in ("_decrypt_steps", "_open_data", "_diagnose", "_scratch_len"):
        monkeypatch.setattr(_api, name, forbidden)


# --- inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("convert", [str, str.encode, lambda s: bytearray(s.encode())],
                         ids=["str", "bytes", "bytearray"])
def test_accepts_str_bytes_and_bytearray_for_every_text_argument(convert):
    data = werun.decrypt_steps(convert(KEY), convert(IV), convert(DATA), appid=convert(APPID))
    assert data.steps == STEPS
    opened = werun.open_data(convert(KEY), convert(IV), convert(DATA), appid=convert(APPID))
    assert opened.json.startswith('{"stepInfoList":')
    assert werun.diagnose(convert(KEY), convert(IV), convert(DATA)) is werun.Diagnosis.WERUN_DATA


def test_mixed_str_and_bytes_arguments():
    assert werun.decrypt_steps(KEY.encode(), IV, DATA.encode(), appid=APPID).steps == STEPS


def test_str_subclasses_are_accepted():
    class Secret(str):
        pass

    assert werun.decrypt_steps(Secret(KEY), IV, DATA, appid=Secret(APPID)).steps == STEPS


def test_non_ascii_text_is_an_input_error_not_a_crash():
    with pytest.raises(werun.SessionKeyInvalid):
        werun.decrypt_steps("ключ" * 6, IV, DATA, appid=APPID)
    with pytest.raises(werun.EncryptedDataInvalid):
        werun.decrypt_steps(KEY, IV, "\ud800" + DATA, appid=APPID)  # a lone surrogate


@pytest.mark.parametrize("function", [werun.decrypt_steps, werun.open_data])
@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("bad", [None, 123, ["x"], memoryview(b"x"), 1.5])
def test_wrong_text_types_raise_type_error_before_any_foreign_call(
        no_foreign_calls, function, position, bad):
    args = [KEY, IV, DATA]
    args[position] = bad
    with pytest.raises(TypeError, match=("session_key", "iv", "encrypted_data")[position]):
        function(*args, appid=APPID)


@pytest.mark.parametrize("bad", [123, b"x".decode, ["wx"]])
def test_wrong_appid_type_raises_type_error(no_foreign_calls, bad):
    with pytest.raises(TypeError, match="appid"):
        werun.decrypt_steps(KEY, IV, DATA, appid=bad)


def test_diagnose_wrong_types_raise_type_error(no_foreign_calls):
    with pytest.raises(TypeError):
        werun.diagnose(None, IV, DATA)
    with pytest.raises(TypeError, match="strict_base64"):
        werun.diagnose(KEY, IV, DATA, strict_base64="yes")


@pytest.mark.parametrize("function", [werun.decrypt_steps, werun.open_data])
def test_appid_is_a_required_keyword(no_foreign_calls, function):
    with pytest.raises(TypeError, match="appid"):
        function(KEY, IV, DATA)
    with pytest.raises(TypeError):
        function(KEY, IV, DATA, APPID)  # not positional


def test_appid_none_written_out_skips_the_check():
    assert werun.decrypt_steps(KEY, IV, DATA, appid=None).steps == STEPS
    with pytest.raises(werun.AppIdMismatch):
        werun.decrypt_steps(KEY, IV, DATA, appid="wx0000000000000000")


def test_empty_appid_is_checked_not_skipped():
    with pytest.raises(werun.AppIdMismatch):
        werun.decrypt_steps(KEY, IV, DATA, appid="")


@pytest.mark.parametrize("now, max_age", [(1717201234, None), (None, 600)])
def test_now_and_max_age_go_together(no_foreign_calls, now, max_age):
    with pytest.raises(TypeError, match="now and max_age"):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=now, max_age=max_age)


@pytest.mark.parametrize("now, max_age, error", [
    (1717201234.0, 600, TypeError), (True, 600, TypeError), ("1717201234", 600, TypeError),
    (1717201234, 600.0, TypeError), (1717201234, False, TypeError),
    (2**63, 600, ValueError), (-(2**63) - 1, 600, ValueError),
    (1717201234, -1, ValueError), (1717201234, 2**64, ValueError),
])
def test_freshness_arguments_are_checked(no_foreign_calls, now, max_age, error):
    with pytest.raises(error):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=now, max_age=max_age)
    with pytest.raises(error):
        werun.open_data(KEY, IV, DATA, appid=APPID, now=now, max_age=max_age)


def test_freshness_limits_are_accepted():
    wm = SAMPLE["expect"]["watermark_timestamp"]
    assert werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=wm, max_age=0).steps == STEPS
    with pytest.raises(werun.WatermarkExpired):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, now=-(2**63), max_age=2**64 - 1)
    opened = werun.open_data(KEY, IV, DATA, appid=APPID, now=wm + 10, max_age=10)
    assert opened.watermark_timestamp == wm
    with pytest.raises(werun.WatermarkExpired):
        werun.open_data(KEY, IV, DATA, appid=APPID, now=wm + 11, max_age=10)


@pytest.mark.parametrize("bad", [1, 0, "", None])
def test_strict_base64_must_be_bool(no_foreign_calls, bad):
    with pytest.raises(TypeError, match="strict_base64"):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, strict_base64=bad)


def test_strict_base64_refuses_repairs():
    repaired = DATA.replace("+", " ")
    assert werun.decrypt_steps(KEY, IV, repaired, appid=APPID).steps == STEPS
    with pytest.raises(werun.EncryptedDataInvalid):
        werun.decrypt_steps(KEY, IV, repaired, appid=APPID, strict_base64=True)


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (1.0, TypeError), ("32", TypeError),
                                        (True, TypeError)])
def test_max_steps_is_checked(no_foreign_calls, bad, error):
    with pytest.raises(error):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, max_steps=bad)


@pytest.mark.parametrize("max_steps", [31, 32, 33, 1000, 2**70])
def test_max_steps_at_or_above_the_count_returns_everything(max_steps):
    assert werun.decrypt_steps(KEY, IV, DATA, appid=APPID, max_steps=max_steps).steps == STEPS


@pytest.mark.parametrize("max_steps", [0, 1, 30])
def test_max_steps_below_the_count_raises_capacity_exceeded(max_steps):
    with pytest.raises(werun.CapacityExceeded):
        werun.decrypt_steps(KEY, IV, DATA, appid=APPID, max_steps=max_steps)


def test_inputs_are_not_modified():
    data = bytearray(DATA.encode())
    werun.decrypt_steps(KEY, IV, data, appid=APPID)
    werun.open_data(KEY, IV, data, appid=APPID)
    assert data == DATA.encode()


def test_long_inputs_grow_the_scratch():
    padded = DATA + "\n" * 100_000  # repaired: newlines are skipped
    assert werun.decrypt_steps(KEY, IV, padded, appid=APPID).steps == STEPS
    assert werun.decrypt_steps(KEY, IV, DATA, appid=APPID).steps == STEPS


# --- results --------------------------------------------------------------------------------


def test_results_are_immutable():
    data = werun.decrypt_steps(KEY, IV, DATA, appid=APPID)
    with pytest.raises(AttributeError):
        data.steps = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        data.steps[0] = werun.Step(0, 0)  # type: ignore[index]
    with pytest.raises(AttributeError):
        data.steps[0].step = 1  # type: ignore[misc]
    opened = werun.open_data(KEY, IV, DATA, appid=APPID)
    with pytest.raises(AttributeError):
        opened.json = ""  # type: ignore[misc]


def test_step_is_a_named_tuple():
    step = werun.decrypt_steps(KEY, IV, DATA, appid=APPID).steps[-1]
    assert step == werun.Step(timestamp=1717171200, step=15024)
    assert (step.timestamp, step.step) == tuple(step) == (1717171200, 15024)
    assert repr(step) == "Step(timestamp=1717171200, step=15024)"
    assert step._asdict() == {"timestamp": 1717171200, "step": 15024}
    assert pickle.loads(pickle.dumps(step)) == step


def test_missing_watermark_is_none():
    no_watermark = next(v for v in load_vectors()["vectors"]
                        if v["description"].startswith("no watermark, appid check skipped"))
    data = werun.decrypt_steps(no_watermark["session_key"], no_watermark["iv"],
                               no_watermark["encrypted_data"], appid=None)
    assert data.watermark_timestamp is None


def test_open_data_wipes_its_plaintext():
    werun.open_data(KEY, IV, DATA, appid=APPID)
    scratch = _api._buffers.scratch
    assert scratch.raw == bytes(len(scratch))


@pytest.mark.parametrize("failure, error", [
    ({"appid": "wx0000000000000000"}, werun.AppIdMismatch),          # after decryption
    ({"session_key": "AAAA"}, werun.SessionKeyInvalid),             # before it: the key,
    ({"iv": "AAAA"}, werun.IvInvalid),                              # the iv,
    ({"encrypted_data": DATA[:-4]}, werun.CiphertextLength),        # the length,
    ({"encrypted_data": "*" + DATA}, werun.EncryptedDataInvalid),   # base64
])
def test_failed_calls_leave_no_steps_behind(failure, error):
    werun.decrypt_steps(KEY, IV, DATA, appid=APPID)  # fills the thread's step buffer
    assert bytes(_api._buffers.steps) != bytes(len(_api._buffers.steps))
    args = {"session_key": KEY, "iv": IV, "encrypted_data": DATA, "appid": APPID, **failure}
    with pytest.raises(error):
        werun.decrypt_steps(args.pop("session_key"), args.pop("iv"), args.pop("encrypted_data"),
                            **args)
    assert bytes(_api._buffers.steps) == bytes(len(_api._buffers.steps))
    assert _api._buffers.scratch.raw == bytes(len(_api._buffers.scratch))


# --- errors ---------------------------------------------------------------------------------

STATUS_CLASSES = {
    "NULL_ARGUMENT": werun.NullArgument, "SESSION_KEY_INVALID": werun.SessionKeyInvalid,
    "IV_INVALID": werun.IvInvalid, "ENCRYPTED_DATA_INVALID": werun.EncryptedDataInvalid,
    "CIPHERTEXT_LENGTH": werun.CiphertextLength, "BUFFER_TOO_SMALL": werun.BufferTooSmall,
    "DECRYPT_FAILED": werun.DecryptFailed, "APPID_MISMATCH": werun.AppIdMismatch,
    "WATERMARK_EXPIRED": werun.WatermarkExpired, "CAPACITY_EXCEEDED": werun.CapacityExceeded,
    "INTERNAL": werun.Internal, "INVALID_ARGUMENT": werun.InvalidArgument,
}


def test_every_status_but_ok_has_its_own_error_class():
    assert set(STATUS_CLASSES) == {s.name for s in werun.Status} - {"OK"}
    for name, cls in STATUS_CLASSES.items():
        assert issubclass(cls, werun.Error)
        assert cls.status == werun.Status[name]
        err = _errors.error_for(werun.Status[name])
        assert type(err) is cls
        assert err.status == werun.Status[name]
        assert err.message == str(err) == _ffi.lib.werun_status_str(err.status).decode()
        assert err.message and err.message != "unknown werun status"
        assert cls().message == err.message
        again = pickle.loads(pickle.dumps(err))
        assert type(again) is cls and again.message == err.message


def test_status_names_match_the_vector_file():
    for entry in load_vectors()["statuses"]:
        assert werun.Status[entry["name"]] == entry["code"]


def test_diagnosis_names_match_the_vector_file():
    for entry in load_vectors()["diagnoses"]:
        assert werun.Diagnosis[entry["name"]] == entry["code"]
        assert werun.Diagnosis(entry["code"]).message


def test_an_unknown_status_is_a_plain_error():
    err = _errors.error_for(999)
    assert type(err) is werun.Error
    assert err.status == 999
    assert err.message == "unknown werun status"


def test_decrypt_failed_message_gives_advice():
    with pytest.raises(werun.DecryptFailed) as info:
        werun.decrypt_steps("AAAAAAAAAAAAAAAAAAAAAA==", IV, DATA, appid=APPID)
    assert "session_key" in info.value.message


# The statuses this API never produces (it passes no NULL, sizes its buffers, checks its
# options), produced through the C functions it binds, with the argtypes table.

def _raw_decrypt(key=KEY.encode(), iv=IV.encode(), data=DATA.encode(), options=None,
                 scratch_len=2048, steps_len=32, summary=True, null_key=False):
    options = options if options is not None else _ffi.werun_options(APPID.encode(), 18, 0, 0, 0)
    scratch = ctypes.create_string_buffer(scratch_len)
    steps = (_ffi.werun_step * steps_len)()
    out = _ffi.werun_summary()
    return _ffi.lib.werun_decrypt_steps(
        None if null_key else key, len(key), iv, len(iv), data, len(data),
        ctypes.byref(options), scratch, scratch_len, steps, steps_len,
        ctypes.byref(out) if summary else None)


def test_c_null_argument():
    assert _raw_decrypt() == werun.Status.OK
    assert _raw_decrypt(null_key=True) == werun.Status.NULL_ARGUMENT
    assert _raw_decrypt(summary=False) == werun.Status.NULL_ARGUMENT
    assert _raw_decrypt(options=_ffi.werun_options(None, 0, 0, 0, 0)) == \
        werun.Status.NULL_ARGUMENT  # a NULL appid without the skip flag never skips


def test_c_invalid_argument():
    unknown_flag = _ffi.werun_options(APPID.encode(), 18, 1 << 7, 0, 0)
    assert _raw_decrypt(options=unknown_flag) == werun.Status.INVALID_ARGUMENT
    appid_and_skip = _ffi.werun_options(APPID.encode(), 18,
                                        _ffi.WERUN_OPTION_SKIP_APPID_CHECK, 0, 0)
    assert _raw_decrypt(options=appid_and_skip) == werun.Status.INVALID_ARGUMENT


def test_c_buffer_too_small():
    assert _raw_decrypt(scratch_len=16) == werun.Status.BUFFER_TOO_SMALL


def test_the_api_never_passes_null_for_empty_inputs():
    # b"" is a valid pointer: an empty input is an input error, not NULL_ARGUMENT.
    with pytest.raises(werun.SessionKeyInvalid):
        werun.decrypt_steps("", IV, DATA, appid=APPID)
    with pytest.raises(werun.CiphertextLength):
        werun.decrypt_steps(KEY, IV, "", appid=APPID)
    with pytest.raises(werun.CiphertextLength):
        werun.diagnose(KEY, IV, b"")


def test_internal_is_documented():
    assert "bug" in werun.Internal().message


# --- module ---------------------------------------------------------------------------------


def test_module_metadata():
    assert werun.ABI_VERSION == _ffi.lib.werun_abi_version() == 1
    assert werun.DEFAULT_CAPACITY == 32
    assert werun.LIBRARY_VERSION == "0.1.0"
    assert werun.LIBRARY_PATH.endswith(_ffi.LIBRARY_NAME)
    for name in werun.__all__:
        assert hasattr(werun, name), name
