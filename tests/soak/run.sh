#!/usr/bin/env bash
# Soak and stress of werun through the C ABI, Python, Go, C++, Node.js, PHP and Java (docs/hardening.md,
# "Soak and stress"). Run by `make test-soak` (short) and `make soak` (--full), after `make lib`.
#
#   soak:   one process per binding makes CALLS calls over the payloads of tests/soak/mix.txt
#           (valid payloads of different users and every kind of invalid one), round and round;
#           every result must be the vector file's, and VmRSS may grow by at most 1 MiB from
#           the end of the warm-up (call CALLS/10) to the last call. RSS is read every CALLS/20
#           calls too (rss_max_kib in the output), after a full collection in Python, Go and
#           Node, which keeps their heaps comparable from one reading to the next.
#   stress: per binding, 1, 2 and 4 threads (pthreads, Python threads, goroutines,
#           std::thread, worker_threads) each make STRESS_CALLS calls at once, each thread
#           starting at another payload; every result must equal the single-threaded one.
#           Throughput is reported, never asserted.
#
#   tests/soak/run.sh           short: 300,000 calls per binding, 20,000 per stress thread
#   tests/soak/run.sh --full    1,000,000 calls per binding, 200,000 per stress thread
#
# SOAK_CALLS, STRESS_CALLS and STRESS_THREADS override the counts. Every binding runs even
# when one fails; then the table, and exit 1 if anything failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
here=tests/soak
out=target/soak
lib=target/release/libwerun.a
so=target/release/libwerun.so
for f in "$lib" "$so"; do
  [ -f "$f" ] || { echo "run.sh: $f is missing: run 'make lib' first" >&2; exit 1; }
done

if [ "${1:-}" = --full ]; then
  calls=${SOAK_CALLS:-1000000}
  stress_calls=${STRESS_CALLS:-200000}
else
  calls=${SOAK_CALLS:-300000}
  stress_calls=${STRESS_CALLS:-20000}
fi
threads_list=${STRESS_THREADS:-1 2 4}
[ "$calls" -ge 20 ] || { echo "run.sh: SOAK_CALLS must be at least 20" >&2; exit 1; }
vectors=tests/vectors/werun.json
mix=$here/mix.txt

# The mix holds every kind the soak promises.
for kind in valid bad-base64 wrong-key wrong-iv wrong-appid over-capacity truncated; do
  grep -q "^$kind " "$mix" || { echo "run.sh: $mix has no '$kind' payload" >&2; exit 1; }
done

mkdir -p "$out"
native=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc) # docs/c-abi.md's link line
echo "== build"
cc -std=c11 -Wall -Wextra -Werror -pedantic -O2 -Iinclude -Itests/vectors "$here/soak.c" "$lib" \
  "${native[@]}" -o "$out/soak-c"
c++ -std=c++17 -Wall -Wextra -Werror -pedantic -O2 -Iinclude -Ibindings/cpp -Itests/vectors \
  "$here/soak.cpp" "$lib" "${native[@]}" -o "$out/soak-cpp"
# Go: the binding finds libwerun with pkg-config, as in bindings/go/run-tests.sh.
prefix=$root/$out/prefix
rm -rf "$prefix"
make -s --no-print-directory install PREFIX="$prefix" >/dev/null
unformatted=$(cd "$here/go" && gofmt -l .)
[ -z "$unformatted" ] || { echo "gofmt: not formatted: $unformatted" >&2; exit 1; }
(cd "$here/go" && PKG_CONFIG_PATH="$prefix/lib/pkgconfig" go build -o "$root/$out/soak-go" .)
# Node: koffi from bindings/node's lockfile, as bindings/node/run-tests.sh installs it.
if [ ! -f bindings/node/node_modules/.package-lock.json ] ||
  [ bindings/node/package-lock.json -nt bindings/node/node_modules/.package-lock.json ]; then
  (cd bindings/node && npm ci --silent --no-audit --no-fund)
fi

# Java: the binding's jar (its natives, then mvn package), run as a single-file program with the
# jar's own library (for Java, WERUN_LIBRARY would name a JNI library); a fixed, pre-touched heap
# so that RSS measures the rest.
bindings/java/build-natives.sh >/dev/null
(cd bindings/java && mvn -q -B -DskipTests package)
java_jar=bindings/java/target/werun-$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1).jar

# One command line per binding; each takes MODE ARGS... after these words.
declare -A command=(
  [c]="$out/soak-c $mix"
  [python]="python3 $here/soak.py $vectors $mix"
  [go]="$out/soak-go $vectors $mix"
  [cpp]="$out/soak-cpp $mix"
  [node]="node --expose-gc $here/soak.mjs $vectors $mix"
  [php]="php $here/soak.php $vectors $mix" # stress: processes (pcntl_fork), as PHP-FPM runs PHP
  [java]="env -u WERUN_LIBRARY java -Xms64m -Xmx64m -XX:+AlwaysPreTouch -cp $java_jar $here/Soak.java $vectors $mix"
)
export WERUN_LIBRARY=$root/$so # the Python, Node and PHP bindings
export PYTHONPATH=$root/bindings/python${PYTHONPATH:+:$PYTHONPATH}
export LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} # Go's shared libwerun

results=$out/results.txt
: >"$results"
failed=()
for binding in c python go cpp node php java; do
  echo "== $binding: soak, $calls calls"
  # shellcheck disable=SC2086 # the command lines are split into words on purpose
  if ! ${command[$binding]} soak "$calls" | tee -a "$results"; then
    failed+=("$binding soak")
  fi
  for threads in $threads_list; do
    echo "== $binding: stress, $threads threads x $stress_calls calls"
    # shellcheck disable=SC2086
    if ! ${command[$binding]} stress "$threads" "$stress_calls" | tee -a "$results"; then
      failed+=("$binding stress $threads")
    fi
  done
done

echo
echo "== soak: $calls calls per binding;" \
  "stress: $stress_calls calls per thread (calls/s, all threads)"
awk -v threads="$threads_list" '
  function field(name,   i, kv) {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
    return "-"
  }
  BEGIN { n = split(threads, t, " ") }
  $1 == "soak" {
    b = field("binding"); order[++bindings] = b
    soak[b] = sprintf("%-7s %9s %8s %10s %10s %8s", b, field("calls"), field("seconds"),
      field("rss_warmup_kib"), field("rss_end_kib"), field("growth_kib"))
  }
  $1 == "stress" { rate[field("binding"), field("threads")] = field("calls_per_second") }
  END {
    header = sprintf("%-7s %9s %8s %10s %10s %8s", "binding", "calls", "seconds",
      "RSS warm", "RSS end", "growth")
    for (i = 1; i <= n; i++)
      header = header sprintf(" %11s", t[i] (t[i] == 1 ? " thread" : " threads"))
    print header
    print "                                    (KiB)      (KiB)    (KiB)"
    for (j = 1; j <= bindings; j++) {
      b = order[j]; line = soak[b]
      for (i = 1; i <= n; i++)
        line = line sprintf(" %11s", ((b, t[i]) in rate) ? rate[b, t[i]] : "-")
      print line
    }
  }' "$results"

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "soak and stress passed"
