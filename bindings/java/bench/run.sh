#!/usr/bin/env bash
# `make bench-java BENCH_DATASETS="dataset.jsonl dataset_7.jsonl"`: the Java binding on datasets of
# the benchmark harness (one JSON object per line: session_key, iv, encryptedData, appid,
# expected_sum, expected_ts_sum; the harness's gen_dataset.py makes them), as the harness runs
# its Java peer: a fixed, pre-touched heap, 15 warm-up passes, REPS (default 9) timed ones.
# Prints the harness's JSON line per dataset, and on stderr the JNI figures.
#
# The same program is a peer of the harness itself, side by side with its Java peer:
#   EXTRA_PEERS="java_werun=$PWD/bindings/java/bench/peer.sh" ./run_peers.sh     (in the harness)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
[ $# -gt 0 ] || { echo "usage: $0 DATASET.jsonl..." >&2; exit 2; }
"$root/bindings/java/build-natives.sh" >/dev/null
(cd "$root/bindings/java" && mvn -q -B -DskipTests package)
for dataset in "$@"; do
  "$here/peer.sh" "$dataset"
done
