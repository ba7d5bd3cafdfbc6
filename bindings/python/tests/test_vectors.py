"""Every vector of tests/vectors/werun.json (the file the Rust, C, Go and C++ tests read):
status, steps, watermark, JSON and diagnosis."""

from __future__ import annotations

import ctypes

import pytest

import werun
from werun import _ffi

from conftest import load_vectors

VECTORS = load_vectors()["vectors"]
NO_DIAGNOSIS_STATUSES = {"SESSION_KEY_INVALID", "IV_INVALID", "ENCRYPTED_DATA_INVALID",
                         "CIPHERTEXT_LENGTH", "BUFFER_TOO_SMALL"}


def by_id(vectors):
    return pytest.mark.parametrize("v", vectors, ids=[v["id"] for v in vectors])


def error_class(status_name: str) -> type[werun.Error]:
    return werun._errors.ERRORS[werun.Status[status_name]]


def checks(v) -> dict:
    return {"appid": v["appid"], "now": v["now"], "max_age": v["max_age"],
            "strict_base64": v["strict_base64"]}


PATTERN = 0xA5  # what the outputs hold before a call, so that "zeroed" is the call's doing


def raw_call(v, scratch_len: int):
    """The vector through the C function itself, with the given scratch size and the outputs
    pre-filled with PATTERN; checks that a failure leaves no partial result: every entry
    passed zeroed (statuses 2..=10, which are all the vectors' failures), the summary and the
    entry past the capacity untouched."""
    k, iv, data = (v[f].encode() for f in ("session_key", "iv", "encrypted_data"))
    appid = None if v["appid"] is None else v["appid"].encode()
    flags = (_ffi.WERUN_OPTION_SKIP_APPID_CHECK if appid is None else 0) | (
        _ffi.WERUN_OPTION_STRICT_BASE64 if v["strict_base64"] else 0)
    if v["now"] is not None:
        flags |= _ffi.WERUN_OPTION_CHECK_FRESHNESS
    options = _ffi.werun_options(appid, len(appid or b""), flags, v["now"] or 0,
                                 v["max_age"] or 0)
    scratch = ctypes.create_string_buffer(scratch_len)
    capacity = v["capacity"]
    steps = (_ffi.werun_step * (capacity + 1))()
    summary = _ffi.werun_summary()
    ctypes.memset(steps, PATTERN, ctypes.sizeof(steps))
    ctypes.memset(ctypes.byref(summary), PATTERN, ctypes.sizeof(summary))
    pattern_step = bytes([PATTERN]) * ctypes.sizeof(_ffi.werun_step)
    status = _ffi.lib.werun_decrypt_steps(
        k, len(k), iv, len(iv), data, len(data), ctypes.byref(options), scratch, scratch_len,
        steps, capacity, ctypes.byref(summary))
    assert bytes(steps[capacity]) == pattern_step, "wrote past the capacity"
    if status != 0:
        assert 2 <= status <= 10, status
        assert [(s.timestamp, s.step) for s in steps[:capacity]] == [(0, 0)] * capacity, \
            "steps not zeroed on failure"
        assert bytes(summary) == bytes([PATTERN]) * ctypes.sizeof(summary), \
            "summary written on failure"
    return status, [(s.timestamp, s.step) for s in steps[: summary.count]] if status == 0 else []


def test_the_vector_file_covers_every_public_status():
    seen = {v["expect"]["status"] for v in VECTORS}
    assert seen >= {s.name for s in werun.Status} - {"NULL_ARGUMENT", "INTERNAL",
                                                       "INVALID_ARGUMENT"}


@by_id([v for v in VECTORS if v["api"] == "steps"])
def test_decrypt_steps(v):
    expect = v["expect"]
    args = (v["session_key"], v["iv"], v["encrypted_data"])
    if v["scratch_len"] is not None:
        # The API sizes its own scratch: only the C call can be given too little.
        status, steps = raw_call(v, v["scratch_len"])
        assert werun.Status(status).name == expect["status"]
        assert steps == [tuple(s) for s in expect["steps"]]
        if expect["status"] == "BUFFER_TOO_SMALL":
            assert len(werun.decrypt_steps(*args, **checks(v)).steps) == 31
            return
    if expect["status"] == "OK":
        data = werun.decrypt_steps(*args, max_steps=v["capacity"], **checks(v))
        assert isinstance(data, werun.WeRunData)
        assert data.steps == tuple(werun.Step(t, s) for t, s in expect["steps"])
        assert all(type(s) is werun.Step for s in data.steps)
        assert data.watermark_timestamp == expect["watermark_timestamp"]
        # Without max_steps: the same result.
        assert werun.decrypt_steps(*args, **checks(v)) == data
    else:
        cls = error_class(expect["status"])
        with pytest.raises(cls) as info:
            werun.decrypt_steps(*args, max_steps=v["capacity"], **checks(v))
        assert type(info.value) is cls
        assert info.value.status == werun.Status[expect["status"]]
        assert str(info.value) == werun._errors.status_message(info.value.status)
        if expect["status"] == "CAPACITY_EXCEEDED":
            # Without max_steps every entry comes back, never a truncated list.
            data = werun.decrypt_steps(*args, **checks(v))
            assert len(data.steps) > v["capacity"]
            assert werun.decrypt_steps(*args, max_steps=len(data.steps), **checks(v)) == data
        else:
            with pytest.raises(cls):
                werun.decrypt_steps(*args, **checks(v))


@by_id([v for v in VECTORS if v["api"] == "steps"])
def test_c_decrypt_steps_leaves_no_partial_result(v):
    scratch_len = v["scratch_len"]
    if scratch_len is None:
        scratch_len = _ffi.lib.werun_scratch_len(len(v["encrypted_data"].encode()))
    status, steps = raw_call(v, scratch_len)
    assert werun.Status(status).name == v["expect"]["status"]
    assert steps == [tuple(s) for s in v["expect"]["steps"]]


@by_id([v for v in VECTORS if v["api"] == "open_data"])
def test_open_data(v):
    expect = v["expect"]
    args = (v["session_key"], v["iv"], v["encrypted_data"])
    if expect["status"] == "OK":
        opened = werun.open_data(*args, **checks(v))
        assert isinstance(opened, werun.OpenData)
        assert opened.json == expect["json"]
        assert opened.watermark_timestamp == expect["watermark_timestamp"]
    else:
        with pytest.raises(error_class(expect["status"])):
            werun.open_data(*args, **checks(v))


@by_id(VECTORS)
def test_diagnose(v):
    expect = v["expect"]
    args = (v["session_key"], v["iv"], v["encrypted_data"])
    if v["scratch_len"] is not None:
        pytest.skip("a vector about the scratch size: diagnose sizes its own")
    if expect["diagnosis"] is None:
        assert expect["status"] in NO_DIAGNOSIS_STATUSES
        with pytest.raises(error_class(expect["status"])):
            werun.diagnose(*args, strict_base64=v["strict_base64"])
    else:
        got = werun.diagnose(*args, strict_base64=v["strict_base64"])
        assert got is werun.Diagnosis[expect["diagnosis"]]
        assert got.message


@by_id([v for v in VECTORS if v["api"] == "steps" and v["expect"]["status"] == "OK"][:8])
def test_open_data_of_werun_payloads_is_their_plaintext(v):
    import json

    opened = werun.open_data(v["session_key"], v["iv"], v["encrypted_data"], **checks(v))
    doc = json.loads(opened.json)
    assert [(e["timestamp"], e["step"]) for e in doc["stepInfoList"]] == [
        tuple(s) for s in v["expect"]["steps"]]


def test_sample_is_the_first_vector():
    sample = load_vectors()["sample"]
    data = werun.decrypt_steps(sample["session_key"], sample["iv"], sample["encrypted_data"],
                               appid=sample["appid"])
    assert [tuple(s) for s in data.steps] == [tuple(s) for s in sample["expect"]["steps"]]
    assert data.watermark_timestamp == sample["expect"]["watermark_timestamp"]


# --- candidate keys (keys_vectors: werun_decrypt_steps_with_keys) ----------------------------

KEYS_VECTORS = load_vectors()["keys_vectors"]


def test_the_keys_vectors_cover_first_second_last_none_and_invalid():
    assert {v["expect"]["key_index"] for v in KEYS_VECTORS} >= {0, 1, 3, None}
    assert any(len(v["session_keys"]) == werun.MAX_CANDIDATE_KEYS
               and v["expect"]["key_index"] == werun.MAX_CANDIDATE_KEYS - 1
               for v in KEYS_VECTORS)
    assert {v["expect"]["status"] for v in KEYS_VECTORS} >= {
        "OK", "DECRYPT_FAILED", "SESSION_KEY_INVALID"}


@by_id(KEYS_VECTORS)
def test_decrypt_steps_with_candidate_keys(v):
    expect = v["expect"]
    for keys in (list(v["session_keys"]), tuple(k.encode() for k in v["session_keys"])):
        args = (keys, v["iv"], v["encrypted_data"])
        if expect["status"] == "OK":
            data = werun.decrypt_steps(*args, appid=v["appid"])
            assert data.steps == tuple(werun.Step(t, s) for t, s in expect["steps"])
            assert data.watermark_timestamp == expect["watermark_timestamp"]
            assert data.key_index == expect["key_index"]
            # The key that worked, alone: the same steps, key_index 0.
            alone = werun.decrypt_steps(keys[data.key_index], v["iv"], v["encrypted_data"],
                                        appid=v["appid"])
            assert alone == data._replace(key_index=0)
        else:
            cls = error_class(expect["status"])
            with pytest.raises(cls) as info:
                werun.decrypt_steps(*args, appid=v["appid"])
            assert type(info.value) is cls
            assert str(info.value) == werun._errors.status_message(info.value.status)


@by_id(KEYS_VECTORS)
def test_c_decrypt_steps_with_keys_leaves_no_partial_result(v):
    """The C function itself, outputs pre-filled with PATTERN: on failure the steps are
    zeroed and the summary and key index untouched; the entry past the capacity never
    written."""
    keys = [k.encode() for k in v["session_keys"]]
    candidates = (_ffi.werun_bytes * len(keys))(*[(k, len(k)) for k in keys])
    iv, data, appid = v["iv"].encode(), v["encrypted_data"].encode(), v["appid"].encode()
    options = _ffi.werun_options(appid, len(appid), 0, 0, 0)
    scratch_len = _ffi.lib.werun_scratch_len_with_keys(len(data))
    scratch = ctypes.create_string_buffer(scratch_len)
    capacity = werun.DEFAULT_CAPACITY
    steps = (_ffi.werun_step * (capacity + 1))()
    summary = _ffi.werun_summary()
    key_index = ctypes.c_size_t()
    for out in (scratch, steps, summary, key_index):
        ctypes.memset(ctypes.byref(out), PATTERN, ctypes.sizeof(out))
    status = _ffi.lib.werun_decrypt_steps_with_keys(
        candidates, len(keys), iv, len(iv), data, len(data), ctypes.byref(options), scratch,
        scratch_len, steps, capacity, ctypes.byref(summary), ctypes.byref(key_index))
    expect = v["expect"]
    assert werun.Status(status).name == expect["status"]
    assert bytes(steps[capacity]) == bytes([PATTERN]) * ctypes.sizeof(_ffi.werun_step)
    # Nothing the library wrote stays in the scratch: wiped, or untouched when the call failed
    # before decoding the data (an invalid candidate key is found first).
    assert scratch.raw == bytes(scratch_len) or (
        expect["status"] == "SESSION_KEY_INVALID"
        and scratch.raw == bytes([PATTERN]) * scratch_len), "scratch not wiped"
    if status == 0:
        assert key_index.value == expect["key_index"]
        assert [(s.timestamp, s.step) for s in steps[: summary.count]] == \
            [tuple(s) for s in expect["steps"]]
        assert summary.has_watermark == 1
        assert summary.watermark_timestamp == expect["watermark_timestamp"]
    else:
        assert expect["key_index"] is None and expect["steps"] == []
        assert [(s.timestamp, s.step) for s in steps[:capacity]] == [(0, 0)] * capacity, \
            "steps not zeroed on failure"
        assert bytes(summary) == bytes([PATTERN]) * ctypes.sizeof(summary), \
            "summary written on failure"
        assert bytes(key_index) == bytes([PATTERN]) * ctypes.sizeof(key_index), \
            "key index written on failure"
