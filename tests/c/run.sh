#!/usr/bin/env bash
# The C tests: every program built with -std=c11 -Wall -Wextra -Werror -pedantic, run under
# ASan+UBSan and under valgrind; plus the README's example, link line and pkg-config install.
# Run by `make test-c` (which builds target/release/libwerun.a first).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=target/c-tests
rm -rf "$out" && mkdir -p "$out"
lib=target/release/libwerun.a
[ -f "$lib" ] || { echo "build the library first: make lib" >&2; exit 1; }

# The link line docs/c-abi.md documents must be what rustc reports for the static library.
readme_line=$(sed -n '/<!-- link-line -->/,/^```$/p' docs/c-abi.md | grep '^cc app.c' || true)
documented=$(echo "$readme_line" | sed 's/.*libwerun\.a //')
reported=$(CARGO_TARGET_DIR=target/native-libs cargo rustc -q --release --lib --features std \
  --crate-type staticlib -- --print native-static-libs 2>&1 | sed -n 's/.*native-static-libs: //p')
if [ -z "$documented" ] || [ "$documented" != "$reported" ]; then
  echo "docs/c-abi.md link line '$documented' != native-static-libs '$reported'" >&2
  exit 1
fi
native=($documented)

cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -g -Iinclude -Itests/vectors -Itests/c)
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

# The example of docs/c-abi.md (the README links to it), extracted verbatim.
sed -n '/<!-- c-example:begin -->/,/<!-- c-example:end -->/p' docs/c-abi.md | sed '1,2d;$d' | sed '$d' \
  > "$out/readme_example.c"

for prog in vectors edge threads keys readme_example; do
  src=tests/c/$prog.c
  [ "$prog" = readme_example ] && src=$out/readme_example.c
  cc "${cflags[@]}" -O1 "${sanitize[@]}" "$src" "$lib" "${native[@]}" -o "$out/$prog-asan"
  cc "${cflags[@]}" -O2 "$src" "$lib" "${native[@]}" -o "$out/$prog"
done
cc "${cflags[@]}" -O2 -fno-builtin tests/c/nomalloc.c "$lib" "${native[@]}" -o "$out/nomalloc"

sample=$(python3 -c '
import json; s = json.load(open("tests/vectors/werun.json"))["sample"]
print(s["session_key"], s["iv"], s["appid"], s["encrypted_data"])')
read -r key iv appid data <<<"$sample"
expected_lines=$(python3 -c '
import json; s = json.load(open("tests/vectors/werun.json"))["sample"]
print("\n".join(f"{t} {n}" for t, n in s["expect"]["steps"]))')

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for prog in vectors edge threads keys; do
  echo "== $prog (ASan+UBSan)"
  "$out/$prog-asan"
  echo "== $prog (valgrind)"
  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite "$out/$prog"
done
echo "== nomalloc"
"$out/nomalloc"

echo "== README example"
for variant in readme_example-asan readme_example; do
  runner=()
  [ "$variant" = readme_example ] && runner=(valgrind -q --error-exitcode=1)
  got=$("${runner[@]}" "$out/$variant" "$key" "$iv" "$appid" "$data")
  [ "$got" = "$expected_lines" ] || { echo "README example printed something else" >&2; exit 1; }
  set +e
  "${runner[@]}" "$out/$variant" "$key" "$iv" wx0000000000000000 "$data" 2>"$out/err"
  code=$?
  set -e
  [ "$code" = 8 ] && grep -q "watermark.appid" "$out/err" || { echo "README example: wrong appid gave $code" >&2; exit 1; }
done

echo "== make install + pkg-config"
prefix=$(mktemp -d)
make -s install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc "${cflags[@]}" "$out/readme_example.c" $(pkg-config --cflags --libs werun) -o "$out/app-shared"
got=$(LD_LIBRARY_PATH="$prefix/lib" "$out/app-shared" "$key" "$iv" "$appid" "$data")
[ "$got" = "$expected_lines" ] || { echo "pkg-config build printed something else" >&2; exit 1; }
# (ldd's output is captured first: `ldd | grep -q` fails at random under pipefail, when grep
# exits before ldd has written everything.)
linked=$(LD_LIBRARY_PATH="$prefix/lib" ldd "$out/app-shared")
grep -q "$prefix/lib/libwerun.so.0" <<<"$linked" || { echo "not linked to the installed .so: $linked" >&2; exit 1; }
cc "${cflags[@]}" "$out/readme_example.c" $(pkg-config --cflags werun) "$prefix/lib/libwerun.a" \
  $(pkg-config --static --libs-only-l werun | sed 's/-lwerun//') -o "$out/app-static"
[ "$("$out/app-static" "$key" "$iv" "$appid" "$data")" = "$expected_lines" ]
# Only the werun_ API is exported from the shared library.
extra=$(nm -D --defined-only "$prefix/lib/libwerun.so" | awk '$2 == "T" {print $3}' | grep -v '^werun_' || true)
[ -z "$extra" ] || { echo "unexpected exports: $extra" >&2; exit 1; }
rm -rf "$prefix"
echo "C tests passed"
