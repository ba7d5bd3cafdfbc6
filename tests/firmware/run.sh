#!/usr/bin/env bash
# Firmware test: werun's C ABI on a bare-metal Cortex-M4F (QEMU mps2-an386), linked from C.
#
# For opt-level "z" (profile release) and "s" (profile release-s) of the wrapper crate werun-fw:
#   1. builds libwerun_fw.a for thumbv7em-none-eabihf (its panic handler calls an undefined
#      symbol, werun_panic_is_reachable);
#   2. compiles firmware.c with arm-none-eabi-gcc against include/werun.h and links it with
#      --gc-sections, no heap, and malloc & co. wrapped to undefined symbols: the link fails if
#      werun can reach a panic or call an allocator (the link-time proofs);
#   3. prints the image's flash/RAM by origin (werun vs. the rest), from the linker map;
#   4. runs it under qemu-system-arm with semihosting and -icount shift=0: every vector of
#      tests/vectors/werun_vectors.h, stack high-water marks, instruction counts. Exit status
#      non-zero on any mismatch.
#
# Needs: rustup target thumbv7em-none-eabihf, gcc-arm-none-eabi, libnewlib-arm-none-eabi,
# qemu-system-arm (.ci/install-firmware.sh installs them). Outputs go to tests/firmware/build/.
# WERUN_FW_PROFILES="z" limits the run to one opt-level.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$here/build"
target=thumbv7em-none-eabihf
profiles=${WERUN_FW_PROFILES:-"z s"}

for tool in cargo arm-none-eabi-gcc arm-none-eabi-nm arm-none-eabi-size qemu-system-arm timeout; do
  if ! command -v "$tool" >/dev/null; then
    echo "tests/firmware: $tool not found; run .ci/install-firmware.sh" >&2
    exit 1
  fi
done
if command -v rustup >/dev/null && ! grep -qx "$target" <<<"$(rustup target list --installed)"; then
  echo "tests/firmware: rustup target $target missing; run .ci/install-firmware.sh" >&2
  exit 1
fi

cpu=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
cflags=(-std=c11 -Os -g -ffunction-sections -fdata-sections -ffreestanding
        -Wall -Wextra -Werror -I"$root/include" -I"$root/tests/vectors")
# Every allocator entry point of newlib (and the heap's sbrk) becomes a reference to a symbol
# that exists nowhere: any call to one fails the link.
no_heap=()
for f in malloc free calloc realloc memalign aligned_alloc posix_memalign \
         _malloc_r _free_r _calloc_r _realloc_r _memalign_r _sbrk _sbrk_r; do
  no_heap+=("-Wl,--wrap=$f")
done

mkdir -p "$build"
status=0
for opt in $profiles; do
  # The link-time panic proof is enforced at opt-level "s", the configuration the README
  # recommends. At "z" LLVM inlines too little to drop the bounds checks of aes's and base64ct's
  # slice-taking helpers, so panic paths survive there: the image then defines the symbol (a
  # runtime failure if ever called) and run.sh lists the surviving panic sites instead.
  case $opt in
    z) profile=release; proof=0 ;;
    s) profile=release-s; proof=1 ;;
    *) echo "tests/firmware: unknown opt-level '$opt' (z or s)" >&2; exit 2 ;;
  esac
  out="$build/opt-$opt"
  mkdir -p "$out"
  echo "== opt-level \"$opt\": cargo build --profile $profile --target $target"
  # RUSTFLAGS from the environment (e.g. sanitizers for the host tests) must not leak in.
  # Run from werun-fw/ so that its .cargo/config.toml applies.
  (cd "$here/werun-fw" &&
    env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_TARGET -u CARGO_BUILD_RUSTFLAGS \
      cargo build --quiet --profile "$profile" --target "$target" \
      --target-dir "$here/werun-fw/target")
  lib="$here/werun-fw/target/$target/$profile/libwerun_fw.a"

  defines=(-DWERUN_FW_PROFILE="\"$opt\"")
  [ "$proof" = 1 ] || defines+=(-DWERUN_FW_DEFINE_PANIC_SYMBOL)
  arm-none-eabi-gcc "${cpu[@]}" "${cflags[@]}" "${defines[@]}" \
    -c "$here/firmware.c" -o "$out/firmware.o"
  if ! arm-none-eabi-gcc "${cpu[@]}" -nostdlib -nostartfiles -T "$here/mps2-an386.ld" \
      -Wl,--gc-sections -Wl,--no-warn-execstack -Wl,-Map="$out/firmware.map" "${no_heap[@]}" \
      "$out/firmware.o" "$lib" -lc -lgcc -o "$out/firmware.elf" 2>"$out/link.log"; then
    cat "$out/link.log" >&2
    if grep -q werun_panic_is_reachable "$out/link.log"; then
      echo "tests/firmware: FAIL: a panic is reachable from werun's C ABI (opt-level $opt):" \
        "the code above references the panic handler. Where:" >&2
      # Link again ignoring the undefined symbol, only to name the panicking call chains.
      if command -v python3 >/dev/null && arm-none-eabi-gcc "${cpu[@]}" -nostdlib -nostartfiles \
          -T "$here/mps2-an386.ld" -Wl,--gc-sections -Wl,--no-warn-execstack \
          -Wl,--unresolved-symbols=ignore-all "$out/firmware.o" "$lib" -lc -lgcc \
          -o "$out/panic-paths.elf"; then
        python3 "$here/panic-paths.py" "$out/panic-paths.elf" >&2
      fi
    fi
    if grep -q '__wrap_' "$out/link.log"; then
      echo "tests/firmware: FAIL: the image calls an allocator" >&2
    fi
    exit 1
  fi
  cat "$out/link.log" >&2
  # Belt and braces: no allocator in the image, and with the proof on, no panic handler either.
  # (nm's output is captured first: under `nm | grep` a failing nm would read as "not found".)
  if ! symbols=$(arm-none-eabi-nm "$out/firmware.elf"); then
    echo "tests/firmware: FAIL: arm-none-eabi-nm $out/firmware.elf failed" >&2
    exit 1
  fi
  if ! grep -q ' T werun_decrypt_steps$' <<<"$symbols"; then
    echo "tests/firmware: FAIL: no werun_decrypt_steps in nm's output: cannot check symbols" >&2
    exit 1
  fi
  if grep -E ' (malloc|free|calloc|realloc|_sbrk|_malloc_r)$' <<<"$symbols"; then
    echo "tests/firmware: FAIL: allocator symbol in the image" >&2
    exit 1
  fi
  if [ "$proof" = 1 ]; then
    if grep -E 'werun_panic_is_reachable|rust_begin_unwind' <<<"$symbols"; then
      echo "tests/firmware: FAIL: panic handler in the image" >&2
      exit 1
    fi
    echo "-- panic proof: the image links without werun_panic_is_reachable: no panic is reachable"
  else
    echo "-- panic proof: not enforced at opt-level \"$opt\"; panic sites that survive:"
    if command -v python3 >/dev/null; then
      python3 "$here/panic-paths.py" "$out/firmware.elf" | sed 's/^/   /' || true
    fi
  fi

  echo "-- image, bytes per section (arm-none-eabi-size -A):"
  arm-none-eabi-size -A "$out/firmware.elf" |
    awk '$1 ~ /^\.(vectors|text|rodata|ARM\.exidx|data|bss|stack)$/ { printf "   %-11s %7d\n", $1, $2 }'
  echo "-- by origin, from the linker map (stack not included):"
  awk -f "$here/sizes.awk" "$out/firmware.map" | tee "$out/sizes.txt"

  echo "-- qemu-system-arm -M mps2-an386 (semihosting, -icount shift=0):"
  set +e
  timeout 120 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none \
    -icount shift=0 -semihosting-config enable=on,target=native \
    -kernel "$out/firmware.elf" 2>&1 | tee "$out/qemu.log"
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ] || ! grep -q '^PASSED' "$out/qemu.log"; then
    echo "tests/firmware: FAIL: opt-level $opt, qemu exit status $rc" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "tests/firmware: PASSED (opt-level: $profiles)"
exit "$status"
