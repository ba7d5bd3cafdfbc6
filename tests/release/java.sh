#!/usr/bin/env bash
# The Java binding as users install it (run by `make test-java`, after bindings/java's own
# tests): `mvn install` of bindings/java into a fresh local repository outside the checkout,
# then a consumer Maven project outside the checkout (tests/release/java-consumer, and the Java
# examples of README.md and bindings/java/README.md) that depends on dev.werun:werun, built and
# run with no cargo or rustc on PATH, on each JDK: the machine's default (17) and the newer
# one beside it (/usr/lib/jvm/temurin-* or java-2N-openjdk-*; WERUN_JAVA_HOMES overrides the list). The installed
# jar must carry both platforms' libraries, Java 8 class files and no runtime dependency.
#
# Maven downloads into the fresh repository through the user's ~/.m2/repository first (a
# file:// repository in a settings profile), then Maven Central: no werun artifact is there
# (a fresh install is checked), and the plugins need not be fetched again on every run.
source "$(dirname "$0")/common.sh"
command -v mvn >/dev/null || fail "mvn not found (.ci/install-java.sh)"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
pom_version=$(sed -n '0,/<version>/s/.*<version>\(.*\)<\/version>.*/\1/p' "$root/bindings/java/pom.xml")
[ "$pom_version" = "$version" ] || fail "bindings/java/pom.xml has version $pom_version, Cargo.toml $version"

repo=$work/m2
settings=$work/settings.xml
seed=${WERUN_MAVEN_SEED:-$HOME/.m2/repository}
cat >"$settings" <<XML
<settings>
  <localRepository>$repo</localRepository>
  <profiles><profile><id>seed</id>
    <repositories><repository><id>seed</id><url>file://$seed</url></repository></repositories>
    <pluginRepositories><pluginRepository><id>seed</id><url>file://$seed</url></pluginRepository></pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
</settings>
XML
mvn_() { mvn -q -B -s "$settings" "$@"; }

echo "== mvn install into $repo"
mvn_ -f "$root/bindings/java/pom.xml" -DskipTests install
installed=$repo/dev/werun/werun/$version
jar=$installed/werun-$version.jar
[ -f "$jar" ] || fail "mvn install did not put $jar"
grep -q '>seed=' "$installed/_remote.repositories" 2>/dev/null &&
  fail "the werun artifact came from the seed repository, not from this install"
listing=$(unzip -Z1 "$jar")
for platform in linux-x86_64 linux-aarch64; do
  grep -qx "dev/werun/native/$platform/libwerun_jni.so" <<<"$listing" ||
    fail "the jar has no dev/werun/native/$platform/libwerun_jni.so"
done
mkdir "$work/unpacked"
(cd "$work/unpacked" && unzip -q "$jar")
major=$(od -An -j6 -N2 -tu1 "$work/unpacked/dev/werun/Werun.class" | awk '{print $1 * 256 + $2}')
[ "$major" = 52 ] || fail "Werun.class has class file version $major, not 52 (Java 8)"
runtime_deps=$(python3 - "$installed/werun-$version.pom" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
deps = ET.parse(sys.argv[1]).getroot().findall("m:dependencies/m:dependency", ns)
print(" ".join(d.find("m:artifactId", ns).text for d in deps
               if (d.find("m:scope", ns) is None or d.find("m:scope", ns).text not in ("test", "provided"))))
PY
)
[ -z "$runtime_deps" ] || fail "the installed pom has runtime dependencies: $runtime_deps"

echo "== the consumer project, outside the checkout, no Rust on PATH"
consumer=$work/consumer
cp -r "$root/tests/release/java-consumer" "$consumer"
sed -i "s/@VERSION@/$version/" "$consumer/pom.xml"
examples=()
# The Java examples of the READMEs, each a complete program printing the vector's one entry.
for page in README.md bindings/java/README.md; do
  src=$(sed -n '/<!-- run: java -->/,/^```$/p' "$root/$page" | sed '1,2d;$d')
  class=$(sed -n 's/^public class \([A-Za-z0-9_]*\).*/\1/p' <<<"$src" | head -n 1)
  [ -n "$class" ] || fail "no public class in the java block after <!-- run: java --> of $page"
  [ ! -e "$consumer/src/main/java/$class.java" ] || fail "two README examples named $class"
  printf '%s\n' "$src" >"$consumer/src/main/java/$class.java"
  examples+=("$class")
done
PATH=$(path_without_rust)
export PATH
command -v cargo >/dev/null && fail "cargo is still on PATH"

newer=$(shopt -s nullglob; printf '%s\n' /usr/lib/jvm/temurin-*-jdk-* /usr/lib/jvm/java-2[0-9]-openjdk-* | sort -V | tail -n 1)
homes=${WERUN_JAVA_HOMES:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")") $newer}
count=0
for home in $homes; do
  [ -x "$home/bin/java" ] || fail "no JDK in $home"
  jdk=$("$home/bin/java" -version 2>&1 | head -n 1)
  echo "== $jdk ($home)"
  flags=()
  feature=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  # JDK 24+ warns about System.load unless native access is granted (README: "Native access").
  [ "${feature%%.*}" -ge 22 ] && flags+=(--enable-native-access=ALL-UNNAMED)
  # (Maven 3.8's own Guava warns about sun.misc.Unsafe on JDK 24+: not ours.)
  maven_opts=
  [ "${feature%%.*}" -ge 24 ] && maven_opts=--sun-misc-unsafe-memory-access=allow
  rm -rf "$consumer/target"
  (cd "$consumer" && JAVA_HOME=$home MAVEN_OPTS=$maven_opts mvn_ package dependency:build-classpath -Dmdep.outputFile=cp.txt)
  cp=$consumer/target/classes:$(cat "$consumer/cp.txt")
  [ "$(cat "$consumer/cp.txt")" = "$jar" ] || fail "the consumer's classpath is $(cat "$consumer/cp.txt"), not $jar"
  run_sample "$home/bin/java" "${flags[@]}" -cp "$cp" example.Main
  grep -q "werun: watermark.appid" "$work/stderr" || fail "a wrong appid printed: $(cat "$work/stderr")"
  for class in "${examples[@]}"; do
    got=$(cd "$work" && "$home/bin/java" "${flags[@]}" -cp "$cp" "$class" 2>"$work/stderr") ||
      fail "$class on $jdk: $(cat "$work/stderr")"
    [ "$got" = "1717171200 21014" ] || fail "$class on $jdk printed '$got'"
    [ ! -s "$work/stderr" ] || fail "$class on $jdk wrote to stderr: $(cat "$work/stderr")"
  done
  echo "ok: example.Main and ${examples[*]} on $jdk"
  count=$((count + 1))
done
[ "$count" -ge 2 ] || fail "ran on $count JDK(s); two are needed (install a newer one: .ci/install-java.sh)"
done_in
