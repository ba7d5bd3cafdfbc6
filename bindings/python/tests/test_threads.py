"""Many threads at once: each gets exactly the results one thread gets, in buffers of its own."""

from __future__ import annotations

import threading

import werun
from werun import _api, _ffi

from conftest import load_vectors

VECTORS = [v for v in load_vectors()["vectors"] if v["scratch_len"] is None]
THREADS = 8
ROUNDS = 6


def run(v):
    """Everything a caller sees of one vector: the result or the error, and the diagnosis."""
    args = (v["session_key"], v["iv"], v["encrypted_data"])
    checks = {"appid": v["appid"], "now": v["now"], "max_age": v["max_age"],
              "strict_base64": v["strict_base64"]}
    try:
        if v["api"] == "open_data":
            result = ("ok", werun.open_data(*args, **checks))
        else:
            result = ("ok", werun.decrypt_steps(*args, max_steps=v["capacity"], **checks))
    except werun.Error as e:
        result = (e.status.name, str(e))
    try:
        diagnosis = werun.diagnose(*args, strict_base64=v["strict_base64"])
    except werun.Error as e:
        diagnosis = e.status.name
    return result, diagnosis


def test_single_threaded_results_are_the_vector_files():
    for v in VECTORS:
        (status, value), diagnosis = run(v)
        e = v["expect"]
        assert status == e["status"].replace("OK", "ok"), v["id"]
        if e["diagnosis"] is None:  # the inputs fail before decryption: diagnose fails alike
            assert diagnosis == e["status"], v["id"]
        else:
            assert diagnosis is werun.Diagnosis[e["diagnosis"]], v["id"]
        if status != "ok":
            continue
        if v["api"] == "open_data":
            assert value.json == e["json"], v["id"]
        else:
            assert [list(s) for s in value.steps] == e["steps"], v["id"]
        assert value.watermark_timestamp == e["watermark_timestamp"], v["id"]


def test_concurrent_calls_give_each_thread_the_single_threaded_results():
    single = [run(v) for v in VECTORS]
    start = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def worker(k):
        start.wait()  # every thread running before any calls
        got = []
        for r in range(ROUNDS):
            for i in range(len(VECTORS)):
                j = (i * 7 + k * 5 + r) % len(VECTORS)  # each thread in its own order
                got.append((j, run(VECTORS[j])))
        results[k] = got

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, got in enumerate(results):
        assert got is not None and len(got) == ROUNDS * len(VECTORS), f"thread {k} did not finish"
        wrong = [VECTORS[j]["id"] for j, result in got if result != single[j]]
        assert wrong == [], f"thread {k}"


def test_each_thread_has_buffers_of_its_own():
    # Payloads with different step lists: after all threads have made their call, each one's
    # step buffer still holds its own steps, which no other thread's call wrote over.
    cases, lists = [], set()
    for v in VECTORS:
        key = tuple(map(tuple, v["expect"]["steps"]))
        if v["api"] == "steps" and v["expect"]["status"] == "OK" and key and key not in lists:
            cases.append(v)
            lists.add(key)
    cases = cases[:4]
    assert len(cases) == 4
    called = threading.Barrier(len(cases))
    checked = threading.Barrier(len(cases))
    seen: list = [None] * len(cases)

    def worker(k):
        v = cases[k]
        try:
            data = werun.decrypt_steps(v["session_key"], v["iv"], v["encrypted_data"],
                                       appid=v["appid"], now=v["now"], max_age=v["max_age"])
        finally:
            called.wait()  # every thread has made its call
        buffers = _api._buffers
        n = len(data.steps)
        in_buffer = (_ffi.werun_step * n).from_buffer_copy(buffers.steps)
        own = [(s.timestamp, s.step) for s in in_buffer] == [tuple(s) for s in data.steps]
        # Kept by reference (not id()): the objects stay alive, so none can be reused.
        seen[k] = (threading.get_ident(), buffers.steps, own)
        checked.wait()  # every thread alive until all have looked

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(cases))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(s is not None for s in seen)
    assert [s[2] for s in seen] == [True] * len(cases)  # each buffer holds its own steps
    assert len({s[0] for s in seen}) == len(cases)  # distinct threads, alive at the same time
    for i in range(len(cases)):
        for j in range(i + 1, len(cases)):
            assert seen[i][1] is not seen[j][1]
    # The main thread has its own too.
    assert all(_api._buffers.steps is not s[1] for s in seen)


def test_concurrent_candidate_key_calls_give_each_thread_its_key_index():
    # The key index comes back through a per-thread slot: threads whose right key sits at
    # different positions must each see their own index.
    vectors = load_vectors()["keys_vectors"]

    def run_keys(v):
        try:
            return werun.decrypt_steps(v["session_keys"], v["iv"], v["encrypted_data"],
                                       appid=v["appid"])
        except werun.Error as e:
            return e.status.name

    single = [run_keys(v) for v in vectors]
    assert {r.key_index for r in single if isinstance(r, werun.WeRunData)} >= {0, 1, 3}
    start = threading.Barrier(THREADS)
    wrong: list = []

    def worker(k):
        start.wait()
        for r in range(ROUNDS * 4):
            j = (k * 3 + r) % len(vectors)
            if run_keys(vectors[j]) != single[j]:
                wrong.append((k, vectors[j]["id"]))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
