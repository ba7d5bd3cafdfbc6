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

    for name in ("_decrypt_steps", "_open_data", "_diagnose", "_scratch_len",
                 "_decrypt_steps_with_keys", "_scratch_len_with_keys"):
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
    if function is werun.decrypt_steps and position == 0 and isinstance(bad, list):
        pytest.skip("decrypt_steps takes a list of candidate keys (test_candidate_keys_*)")
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


# --- candidate keys -------------------------------------------------------------------------
#
# The vectors (right key first, second, last, none, an invalid one) are in test_vectors.py.

STALE = ("i0vns4pveFuOIEpP3pxrbQ==", "mTQX7K9E2qAKnqRQabSX5Q==", "PvPpyd5Dt7ETDJoOQcF2Xg==")


@pytest.mark.parametrize("keys", [[], (), [KEY] * 5, [KEY] * 100],
                         ids=["empty-list", "empty-tuple", "five", "hundred"])
def test_candidate_key_count_is_checked_before_any_foreign_call(no_foreign_calls, keys):
    with pytest.raises(ValueError, match="1 to 4 candidate keys"):
        werun.decrypt_steps(keys, IV, DATA, appid=APPID)


@pytest.mark.parametrize("bad", [None, 123, memoryview(b"x"), [KEY]])
def test_candidate_key_types_are_checked_before_any_foreign_call(no_foreign_calls, bad):
    with pytest.raises(TypeError, match=r"session_key\[1\]"):
        werun.decrypt_steps([KEY, bad], IV, DATA, appid=APPID)


@pytest.mark.parametrize("keys", [{KEY}, {KEY: 0}, iter([KEY]), (k for k in [KEY])],
                         ids=["set", "dict", "iterator", "generator"])
def test_only_lists_and_tuples_are_candidate_keys(no_foreign_calls, keys):
    # A set has no order to try keys in; an iterator would be consumed: both are refused.
    with pytest.raises(TypeError, match="session_key"):
        werun.decrypt_steps(keys, IV, DATA, appid=APPID)


def test_other_arguments_are_checked_before_the_candidate_key_call(no_foreign_calls):
    with pytest.raises(TypeError, match="iv"):
        werun.decrypt_steps([KEY], None, DATA, appid=APPID)
    with pytest.raises(TypeError, match="encrypted_data"):
        werun.decrypt_steps([KEY], IV, 1, appid=APPID)
    with pytest.raises(TypeError, match="appid"):
        werun.decrypt_steps([KEY], IV, DATA, appid=1)
    with pytest.raises(TypeError, match="now and max_age"):
        werun.decrypt_steps([KEY], IV, DATA, appid=APPID, now=1)
    with pytest.raises(ValueError, match="max_steps"):
        werun.decrypt_steps([KEY], IV, DATA, appid=APPID, max_steps=-1)


@pytest.mark.parametrize("convert", [str, str.encode, lambda s: bytearray(s.encode())],
                         ids=["str", "bytes", "bytearray"])
def test_candidate_keys_take_str_bytes_and_bytearray(convert):
    keys = [convert(STALE[0]), KEY.encode(), convert(KEY)]
    data = werun.decrypt_steps(keys, convert(IV), convert(DATA), appid=convert(APPID))
    assert data == werun.WeRunData(STEPS, SAMPLE["expect"]["watermark_timestamp"], 1)


@pytest.mark.parametrize("n", range(1, 5))
def test_the_right_key_at_every_position(n):
    for right in range(n):
        keys = list(STALE[: n - 1])
        keys.insert(right, KEY)
        for seq in (keys, tuple(keys)):
            data = werun.decrypt_steps(seq, IV, DATA, appid=APPID)
            assert data.key_index == right and data.steps == STEPS


def test_candidate_keys_with_the_other_options():
    wm = SAMPLE["expect"]["watermark_timestamp"]
    keys = [STALE[0], KEY]
    assert werun.decrypt_steps(keys, IV, DATA, appid=None).key_index == 1
    assert werun.decrypt_steps(keys, IV, DATA, appid=APPID, now=wm, max_age=0).key_index == 1
    with pytest.raises(werun.WatermarkExpired):
        werun.decrypt_steps(keys, IV, DATA, appid=APPID, now=wm + 1, max_age=0)
    repaired = DATA.replace("+", " ")
    assert werun.decrypt_steps(keys, IV, repaired, appid=APPID).key_index == 1
    with pytest.raises(werun.EncryptedDataInvalid):
        werun.decrypt_steps(keys, IV, repaired, appid=APPID, strict_base64=True)
    with pytest.raises(werun.SessionKeyInvalid):  # the repaired key text is refused too
        werun.decrypt_steps([STALE[0], KEY.replace("+", " ")], IV, DATA, appid=APPID,
                            strict_base64=True)


@pytest.mark.parametrize("max_steps", [0, 1, 30])
def test_candidate_keys_max_steps_below_the_count(max_steps):
    with pytest.raises(werun.CapacityExceeded):
        werun.decrypt_steps([STALE[0], KEY], IV, DATA, appid=APPID, max_steps=max_steps)


@pytest.mark.parametrize("max_steps", [None, 31, 32, 33, 2**70])
def test_candidate_keys_max_steps_at_or_above_the_count(max_steps):
    data = werun.decrypt_steps([STALE[0], KEY], IV, DATA, appid=APPID, max_steps=max_steps)
    assert data.steps == STEPS and data.key_index == 1


def test_candidate_keys_more_entries_than_the_default_capacity():
    many = next(v for v in load_vectors()["vectors"]
                if v["expect"]["status"] == "CAPACITY_EXCEEDED")
    args = (many["iv"], many["encrypted_data"])
    one = werun.decrypt_steps(many["session_key"], *args, appid=many["appid"])
    assert len(one.steps) > werun.DEFAULT_CAPACITY
    two = werun.decrypt_steps([STALE[0], many["session_key"]], *args, appid=many["appid"])
    assert two == one._replace(key_index=1)
    with pytest.raises(werun.CapacityExceeded):
        werun.decrypt_steps([STALE[0], many["session_key"]], *args, appid=many["appid"],
                            max_steps=len(one.steps) - 1)


def test_candidate_keys_long_inputs_grow_the_scratch():
    padded = DATA + "\n" * 100_000  # repaired: newlines are skipped
    assert werun.decrypt_steps([STALE[0], KEY], IV, padded, appid=APPID).key_index == 1
    assert len(_api._buffers.scratch) >= _ffi.lib.werun_scratch_len_with_keys(len(padded))


@pytest.mark.parametrize("failure, error", [
    ({"keys": [STALE[0], STALE[1]]}, werun.DecryptFailed),
    ({"keys": [KEY, "AAAA"]}, werun.SessionKeyInvalid),
    ({"appid": "wx0000000000000000"}, werun.AppIdMismatch),
    ({"iv": "AAAA"}, werun.IvInvalid),
    ({"encrypted_data": DATA[:-4]}, werun.CiphertextLength),
])
def test_failed_candidate_key_calls_leave_no_steps_behind(failure, error):
    werun.decrypt_steps([STALE[0], KEY], IV, DATA, appid=APPID)  # fills the step buffer
    assert bytes(_api._buffers.steps) != bytes(len(_api._buffers.steps))
    args = {"keys": [STALE[0], KEY], "iv": IV, "encrypted_data": DATA, "appid": APPID,
            **failure}
    with pytest.raises(error):
        werun.decrypt_steps(args.pop("keys"), args.pop("iv"), args.pop("encrypted_data"),
                            **args)
    assert bytes(_api._buffers.steps) == bytes(len(_api._buffers.steps))
    assert _api._buffers.scratch.raw == bytes(len(_api._buffers.scratch))


def test_a_single_key_has_key_index_zero():
    data = werun.decrypt_steps(KEY, IV, DATA, appid=APPID)
    assert data.key_index == 0
    assert werun.decrypt_steps([KEY], IV, DATA, appid=APPID) == data


def test_inputs_and_key_list_are_not_modified():
    keys = [STALE[0], bytearray(KEY.encode())]
    data = bytearray(DATA.encode())
    werun.decrypt_steps(keys, IV, data, appid=APPID)
    assert keys == [STALE[0], bytearray(KEY.encode())] and data == DATA.encode()


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


def test_werun_data_key_index_is_the_last_field_with_a_default():
    # Built with two fields: key_index 0; positional order as before.
    old = werun.WeRunData(STEPS, 1717201234)
    assert old.key_index == 0 and old == (STEPS, 1717201234, 0)
    assert werun.WeRunData._fields == ("steps", "watermark_timestamp", "key_index")
    data = werun.decrypt_steps([STALE[0], KEY], IV, DATA, appid=APPID)
    steps, watermark_timestamp, key_index = data
    assert (steps, watermark_timestamp, key_index) == (STEPS, 1717201234, 1)
    assert repr(data).endswith("watermark_timestamp=1717201234, key_index=1)")
    assert pickle.loads(pickle.dumps(data)) == data


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
    assert err.wx_code == -41003  # the sample's catch-all failure


# What WeChat's WXBizDataCrypt sample returns for each status's input (werun_status_wx_code's
# documentation in include/werun.h): -41001 IllegalAesKey, -41002 IllegalIv, -41003
# IllegalBuffer (also every status the sample has no counterpart for), -41004 DecodeBase64Error.
WX_CODES = {
    "OK": 0, "NULL_ARGUMENT": -41003, "SESSION_KEY_INVALID": -41001, "IV_INVALID": -41002,
    "ENCRYPTED_DATA_INVALID": -41004, "CIPHERTEXT_LENGTH": -41003, "BUFFER_TOO_SMALL": -41003,
    "DECRYPT_FAILED": -41003, "APPID_MISMATCH": -41003, "WATERMARK_EXPIRED": -41003,
    "CAPACITY_EXCEEDED": -41003, "INTERNAL": -41003, "INVALID_ARGUMENT": -41003,
}


def test_wx_code_of_every_status_and_error():
    assert set(WX_CODES) == {s.name for s in werun.Status}
    for name, code in WX_CODES.items():
        status = werun.Status[name]
        assert status.wx_code == code, name
        assert _ffi.lib.werun_status_wx_code(status) == code, name
        if name != "OK":
            assert STATUS_CLASSES[name]().wx_code == code, name
            assert _errors.error_for(status).wx_code == code, name
    for unknown in (13, 999, 2**31, 2**32 - 1):
        assert _errors.wx_code(unknown) == -41003


@pytest.mark.parametrize("args, wx_code", [
    (("AAAA", IV, DATA), -41001), ((KEY, "AAAA", DATA), -41002),
    ((KEY, IV, "*" + DATA), -41004), ((KEY, IV, DATA[:-4]), -41003),
    (("AAAAAAAAAAAAAAAAAAAAAA==", IV, DATA), -41003),
])
def test_wx_code_of_raised_errors(args, wx_code):
    with pytest.raises(werun.Error) as info:
        werun.decrypt_steps(*args, appid=APPID)
    assert info.value.wx_code == wx_code
    again = pickle.loads(pickle.dumps(info.value))
    assert again.wx_code == wx_code


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


def _raw_keys(keys, count=None, options=None, scratch_len=None, key_index_pattern=0xA5A5):
    """werun_decrypt_steps_with_keys through the argtypes table; returns (status, key index
    slot afterwards). The slot starts at key_index_pattern (written only on success)."""
    keys = [k.encode() for k in keys]
    array = (_ffi.werun_bytes * max(len(keys), 1))(*[(k, len(k)) for k in keys])
    options = options if options is not None else _ffi.werun_options(APPID.encode(), 18, 0, 0, 0)
    data = DATA.encode()
    scratch_len = scratch_len or _ffi.lib.werun_scratch_len_with_keys(len(data))
    scratch = ctypes.create_string_buffer(scratch_len)
    steps = (_ffi.werun_step * 32)()
    out = _ffi.werun_summary()
    index = ctypes.c_size_t(key_index_pattern)
    status = _ffi.lib.werun_decrypt_steps_with_keys(
        array if keys else None, len(keys) if count is None else count, IV.encode(), 24,
        data, len(data), ctypes.byref(options), scratch, scratch_len, steps, 32,
        ctypes.byref(out), ctypes.byref(index))
    return status, index.value


def test_c_candidate_keys_argument_rules():
    assert _raw_keys([STALE[0], KEY]) == (werun.Status.OK, 1)
    assert _raw_keys([STALE[0], KEY], count=0) == (werun.Status.INVALID_ARGUMENT, 0xA5A5)
    assert _raw_keys([KEY] * 5) == (werun.Status.INVALID_ARGUMENT, 0xA5A5)
    assert _raw_keys([KEY] * 4) == (werun.Status.OK, 0)
    assert _raw_keys([]) == (werun.Status.INVALID_ARGUMENT, 0xA5A5)  # count 0 before NULL
    assert _raw_keys([], count=1)[0] == werun.Status.NULL_ARGUMENT
    # The single key's scratch is not enough for candidates.
    single = _ffi.lib.werun_scratch_len(len(DATA))
    assert _ffi.lib.werun_scratch_len_with_keys(len(DATA)) == 2 * single
    assert _raw_keys([STALE[0], KEY], scratch_len=single)[0] == werun.Status.BUFFER_TOO_SMALL
    assert _raw_keys([STALE[0], STALE[1]]) == (werun.Status.DECRYPT_FAILED, 0xA5A5)


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
    assert werun.MAX_CANDIDATE_KEYS == 4
    assert werun.DEFAULT_CAPACITY == 32
    assert werun.LIBRARY_VERSION == "0.1.0"
    assert werun.LIBRARY_PATH.endswith(_ffi.LIBRARY_NAME)
    for name in werun.__all__:
        assert hasattr(werun, name), name
