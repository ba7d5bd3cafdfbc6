#!/usr/bin/env bash
# `make test-java`: the Java binding's natives (build-natives.sh: both platforms, glibc 2.17),
# its JUnit 5 tests through Maven (`mvn -q verify`: the shared vectors, statuses, arguments,
# threads, the loader in child JVMs, the natives' glibc symbols), then the artifact as users
# install it (tests/release/java.sh: a fresh local repository, a consumer project on two JDKs).
# Maven's local repository is the user's (~/.m2); MAVEN_ARGS adds options (e.g. -o).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
start=$SECONDS
command -v mvn >/dev/null || { echo "run-tests.sh: no mvn: run .ci/install-java.sh" >&2; exit 1; }
[ -f "$root/target/release/libwerun.so" ] ||
  { echo "run-tests.sh: target/release/libwerun.so is missing: run make lib" >&2; exit 1; }
echo "== natives"
"$here/build-natives.sh"
echo "== mvn verify ($(mvn -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g'), $(java -version 2>&1 | head -n 1))"
# shellcheck disable=SC2086 # MAVEN_ARGS is split into words on purpose
(cd "$here" && mvn -q -B ${MAVEN_ARGS:-} verify)
summary=$(cat "$here"/target/surefire-reports/TEST-*.xml | python3 -c '
import re, sys
text = sys.stdin.read()
n = lambda k: sum(int(x) for x in re.findall(r"<testsuite [^>]*?\b%s=\"(\d+)\"" % k, text))
print(n("tests") - n("failures") - n("errors") - n("skipped"), n("failures") + n("errors"), n("skipped"))')
read -r passed failed skipped <<<"$summary"
echo "java: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$skipped" = 0 ] && [ "$passed" -gt 200 ] ||
  { echo "run-tests.sh: expected every test to pass, none skipped" >&2; exit 1; }
echo "== installed artifact"
"$root/tests/release/java.sh"
echo "test-java: passed in $((SECONDS - start)) s"
