#!/usr/bin/env bash
# The Java binding as a peer of the benchmark harness: peer.sh DATASET [--reps N] [--warmup N].
# Needs bindings/java/target/werun-<version>.jar (bench/run.sh, or mvn package); compiles the
# benchmark against it once (target/bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
java_dir=$(dirname "$here")
jar=$(ls "$java_dir"/target/werun-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1)
[ -n "$jar" ] || { echo "peer.sh: no bindings/java/target/werun-*.jar: run bindings/java/bench/run.sh" >&2; exit 1; }
out=$java_dir/target/bench
if [ ! -f "$out/dev/werun/WerunBench.class" ] || [ "$here/WerunBench.java" -nt "$out/dev/werun/WerunBench.class" ] ||
  [ "$jar" -nt "$out/dev/werun/WerunBench.class" ]; then
  mkdir -p "$out"
  javac -Xlint:-options --release 8 -d "$out" -cp "$jar" "$here/WerunBench.java"
fi
flags=()
[ "$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p' | cut -d. -f1)" -lt 22 ] ||
  flags+=(--enable-native-access=ALL-UNNAMED)
exec env -u WERUN_LIBRARY java "${flags[@]}" -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "$jar:$out" \
  dev.werun.WerunBench --warmup 15 "$@"
