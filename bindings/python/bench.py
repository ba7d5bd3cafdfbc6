#!/usr/bin/env python3
"""Benchmark: werun vs the ``cryptography`` + ``json`` path, per payload.

Usage::

    python3 bindings/python/bench.py DATASET.jsonl [--reps 7] [--warmup 1]

DATASET comes from a peer benchmark harness's generator (not part of this repository); it has
one JSON object per line: ``session_key``, ``iv``, ``encryptedData``,
``appid``, ``expected_sum`` (sum of steps) and ``expected_ts_sum`` (sum of timestamps).

What is timed, for both paths, as in the shared peer harness: the dataset is read before
timing; a pass runs over every payload in order, in one thread: decrypt (key setup, base64,
AES-128-CBC, PKCS#7 check, JSON, appid check), build the result objects, and add up every
entry's step and timestamp. werun builds its real result (``WeRunData`` with a tuple of
``Step``); the ``cryptography`` path builds a list of ``(timestamp, step)`` tuples, as a
typical backend does. The checksums must equal the dataset's, or the run fails. Passes of the
two paths alternate (so load on the machine hits both alike), and each path reports the
median of its passes in ns per payload.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import werun  # noqa: E402  (the checkout's package, unless installed)


def load(path: str) -> list[tuple[str, str, str, str, int, int]]:
    records = []
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                records.append((r["session_key"], r["iv"], r["encryptedData"], r["appid"],
                                r["expected_sum"], r["expected_ts_sum"]))
    return records


def with_werun(session_key: str, iv: str, encrypted_data: str, appid: str):
    return werun.decrypt_steps(session_key, iv, encrypted_data, appid=appid).steps


def with_cryptography():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    def decrypt(session_key: str, iv: str, encrypted_data: str, appid: str):
        key = base64.b64decode(session_key)
        iv_bytes = base64.b64decode(iv)
        ciphertext = base64.b64decode(encrypted_data)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv_bytes)).decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        if not padded:
            raise ValueError("empty plaintext")
        pad = padded[-1]
        if pad < 1 or pad > 16 or padded[-pad:] != bytes((pad,)) * pad:
            raise ValueError("bad PKCS#7 padding")
        data = json.loads(padded[:-pad])
        if data["watermark"]["appid"] != appid:
            raise ValueError("appid mismatch")
        return [(e["timestamp"], e["step"]) for e in data["stepInfoList"]]

    return decrypt


def one_pass(decrypt, inputs, clock) -> tuple[int, int, int]:
    steps = 0
    timestamps = 0
    t0 = clock()
    for k, iv, d, a in inputs:
        for t, s in decrypt(k, iv, d, a):
            timestamps += t
            steps += s
    return clock() - t0, steps, timestamps


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset")
    ap.add_argument("--reps", type=int, default=7, help="timed passes per path (default 7)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed passes per path (default 1)")
    ap.add_argument("--json", action="store_true", help="print one JSON line per path too")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="wall time (default) or this thread's CPU time, which a busy shared "
                         "machine disturbs less")
    args = ap.parse_args()

    records = load(args.dataset)
    inputs = [r[:4] for r in records]
    want = (sum(r[4] for r in records), sum(r[5] for r in records))
    n = len(inputs)

    paths = {"werun": with_werun}
    try:
        paths["cryptography+json"] = with_cryptography()
    except ImportError:
        print("cryptography is not installed: timing werun alone", file=sys.stderr)

    clock = time.perf_counter_ns if args.clock == "wall" else time.thread_time_ns
    times: dict[str, list[float]] = {name: [] for name in paths}
    ok = True
    for rep in range(args.warmup + args.reps):
        for name, decrypt in paths.items():
            elapsed, steps, timestamps = one_pass(decrypt, inputs, clock)
            if (steps, timestamps) != want:
                print(f"{name}: checksum {(steps, timestamps)} != expected {want}",
                      file=sys.stderr)
                ok = False
            if rep >= args.warmup:
                times[name].append(elapsed / n)

    print(f"dataset: {args.dataset} ({n} payloads), {args.reps} timed passes per path, "
          f"werun {werun.LIBRARY_VERSION} from {werun.LIBRARY_PATH}, "
          f"Python {sys.version.split()[0]}")
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, per in times.items():
        print(f"{name:>18}: median {medians[name]:9.0f} ns/payload "
              f"(min {min(per):.0f}, max {max(per):.0f}), {1e9 / medians[name]:,.0f} payloads/s")
        if args.json:
            print(json.dumps({"peer": f"python_{name}", "payloads": n, "reps": args.reps,
                              "median_ns_per_payload": round(medians[name], 1),
                              "min_ns_per_payload": round(min(per), 1),
                              "max_ns_per_payload": round(max(per), 1), "ok": ok}))
    if "cryptography+json" in medians:
        ratio = medians["cryptography+json"] / medians["werun"]
        print(f"werun is {ratio:.1f}x faster than cryptography+json")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
