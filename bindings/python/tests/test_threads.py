"""Many threads at once: each gets its own result, nothing leaks between calls."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import werun

from conftest import load_vectors

VECTORS = [v for v in load_vectors()["vectors"] if v["scratch_len"] is None]


def run(v):
    args = (v["session_key"], v["iv"], v["encrypted_data"])
    checks = {"appid": v["appid"], "now": v["now"], "max_age": v["max_age"],
              "strict_base64": v["strict_base64"]}
    try:
        if v["api"] == "open_data":
            return ("ok", werun.open_data(*args, **checks).json)
        data = werun.decrypt_steps(*args, max_steps=v["capacity"], **checks)
        return ("ok", [list(s) for s in data.steps], data.watermark_timestamp)
    except werun.Error as e:
        return (e.status.name,)


def expected(v):
    e = v["expect"]
    if e["status"] != "OK":
        return (e["status"],)
    if v["api"] == "open_data":
        return ("ok", e["json"])
    return ("ok", e["steps"], e["watermark_timestamp"])


def test_concurrent_calls_give_each_thread_its_own_result():
    work = VECTORS * 12
    start = threading.Barrier(8)

    def worker(offset):
        start.wait()
        wrong = []
        for i in range(len(work)):
            v = work[(i * 7 + offset) % len(work)]  # each thread in its own order
            if run(v) != expected(v):
                wrong.append(v["id"])
        return wrong

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, range(8)))
    assert results == [[]] * 8


def test_threads_get_their_own_buffers():
    seen = []

    def worker():
        sample = load_vectors()["sample"]
        werun.decrypt_steps(sample["session_key"], sample["iv"], sample["encrypted_data"],
                            appid=None)
        seen.append(id(werun._api._buffers.steps))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 4
