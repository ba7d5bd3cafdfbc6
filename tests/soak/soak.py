"""Soak and stress of the Python binding (werun.decrypt_steps), run by tests/soak/run.sh with
bindings/python on sys.path and WERUN_LIBRARY pointing at target/release/libwerun.so, as
bindings/python/run-tests.sh runs pytest. The same modes, payloads and output as soak.c:

    soak.py VECTORS MIX soak CALLS
    soak.py VECTORS MIX stress THREADS CALLS     (threading: the GIL is released in each call)
"""

from __future__ import annotations

import ctypes
import gc
import json
import sys
import threading
import time

import werun

GROWTH_LIMIT_KIB = 1024  # from the end of the warm-up (call CALLS // 10) to the last call


def load_mix(vectors_path: str, mix_path: str) -> list[dict]:
    with open(vectors_path, encoding="utf-8") as f:
        by_id = {v["id"]: v for v in json.load(f)["vectors"]}
    mix = []
    with open(mix_path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            v = by_id.get(fields[1])
            if v is None or v["api"] != "steps" or v["scratch_len"] is not None:
                sys.exit(f"{mix_path}: {fields[1]}: not a steps vector with an ample scratch")
            mix.append(v)
    if not mix:
        sys.exit(f"{mix_path}: no payloads")
    return mix


def decrypt(v: dict):
    """What a caller sees: ("OK", steps, watermark) or (the error's status name, (), None)."""
    try:
        data = werun.decrypt_steps(v["session_key"], v["iv"], v["encrypted_data"],
                                   appid=v["appid"], strict_base64=v["strict_base64"],
                                   max_steps=v["capacity"])
    except werun.Error as e:
        return (e.status.name, (), None)
    return ("OK", data.steps, data.watermark_timestamp)


def expected(v: dict):
    """What the vector file says the call gives."""
    e = v["expect"]
    if e["status"] != "OK":
        return (e["status"], (), None)
    return ("OK", tuple(tuple(s) for s in e["steps"]), e["watermark_timestamp"])


def rss_kib() -> int:
    gc.collect()
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    sys.exit("no VmRSS in /proc/self/status")


def soak(mix: list[dict], calls: int) -> bool:
    want = [expected(v) for v in mix]
    warmup, every = calls // 10, max(1, calls // 20)
    wrong, rss_warm, rss_max = 0, 0, 0
    start = time.perf_counter()
    for i in range(calls):
        j = i % len(mix)
        got = decrypt(mix[j])
        if got != want[j]:
            wrong += 1
            if wrong <= 10:
                print(f"call {i} ({mix[j]['id']}): {got[0]}, {len(got[1])} steps; expected "
                      f"{want[j][0]}, {len(want[j][1])} steps", file=sys.stderr)
        if (i + 1) % every == 0 or i + 1 == warmup:
            rss = rss_kib()
            if i + 1 == warmup:
                rss_warm = rss
            rss_max = max(rss_max, rss)
    seconds = time.perf_counter() - start
    rss_end = rss_kib()
    growth = rss_end - rss_warm
    print(f"soak binding=python calls={calls} seconds={seconds:.2f} rss_warmup_kib={rss_warm} "
          f"rss_end_kib={rss_end} growth_kib={growth} rss_max_kib={rss_max} wrong={wrong}",
          flush=True)
    if growth > GROWTH_LIMIT_KIB:
        print(f"soak python: RSS grew by {growth} KiB after the warm-up "
              f"(limit {GROWTH_LIMIT_KIB} KiB)", file=sys.stderr)
    return wrong == 0 and growth <= GROWTH_LIMIT_KIB


def stress(mix: list[dict], threads: int, calls: int) -> bool:
    # ctypes releases the GIL around a foreign call unless the function was loaded with the
    # Python API flag (ctypes.PyDLL / pythonapi): the threads really call the library at once.
    flags = werun._ffi.lib.werun_decrypt_steps._flags_
    if flags & ctypes._FUNCFLAG_PYTHONAPI:
        sys.exit("werun_decrypt_steps is called with the GIL held")
    single = [decrypt(v) for v in mix]
    ok = True
    for v, got in zip(mix, single):
        if got != expected(v):
            print(f"{v['id']}: the single-threaded result is not the vector file's",
                  file=sys.stderr)
            ok = False
    start_line = threading.Barrier(threads + 1)
    wrong = [0] * threads

    def worker(k: int) -> None:
        offset = k * len(mix) // threads  # threads on different payloads
        start_line.wait()
        for i in range(calls):
            j = (i + offset) % len(mix)
            if decrypt(mix[j]) != single[j]:
                wrong[k] += 1
                if wrong[k] <= 10:
                    print(f"thread {k}, call {i} ({mix[j]['id']}): not the single-threaded "
                          "result", file=sys.stderr)

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in workers:
        t.start()
    start_line.wait()
    start = time.perf_counter()
    for t in workers:
        t.join()
    seconds = time.perf_counter() - start
    total = calls * threads
    print(f"stress binding=python threads={threads} calls={total} seconds={seconds:.2f} "
          f"calls_per_second={total / seconds:.0f} wrong={sum(wrong)}", flush=True)
    return ok and sum(wrong) == 0


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[3] == "soak":
        return 0 if soak(load_mix(argv[1], argv[2]), int(argv[4])) else 1
    if len(argv) == 6 and argv[3] == "stress":
        return 0 if stress(load_mix(argv[1], argv[2]), int(argv[4]), int(argv[5])) else 1
    print(f"usage: {argv[0]} VECTORS MIX soak CALLS | {argv[0]} VECTORS MIX stress THREADS CALLS",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
