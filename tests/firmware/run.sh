#!/usr/bin/env bash
# Firmware test: werun's C ABI on bare metal, linked from C, on two targets:
#   thumbv7em-none-eabihf        Cortex-M4F, QEMU mps2-an386, Debian's gcc-arm-none-eabi + newlib
#   riscv32imc-unknown-none-elf  RV32IMC, QEMU virt, Debian's gcc-riscv64-unknown-elf + picolibc
#
# For each target and opt-level ("s": profile release-s, "z": profile release) of the wrapper
# crate werun-fw:
#   1. builds libwerun_fw.a (its panic handler calls an undefined symbol,
#      werun_panic_is_reachable);
#   2. compiles firmware.c twice against include/werun.h: the full image (every entry point)
#      and the decrypt-only image (werun_decrypt_steps alone, -DWERUN_FW_DECRYPT_ONLY), and links
#      each with --gc-sections, no heap, and malloc & co. wrapped to undefined symbols: the link
#      fails if werun can call an allocator or reach a panic (the link-time proofs, at both
#      opt-levels);
#   3. prints the image's flash/RAM by origin (werun vs. the rest), from the linker map;
#   4. runs it under QEMU with semihosting and -icount shift=0: every vector of
#      tests/vectors/werun_vectors.h, stack high-water marks, key material searched for on the
#      stack after every call, instruction counts.
# Fails on any mismatch, a failed proof, key material left on the stack, a call writing below its
# stack scrub, more than FLASH_BUDGET bytes of werun flash in a decrypt-only image, or more than
# STACK_BUDGET bytes of stack for werun_decrypt_steps. Prints the table of figures at the end
# (also in tests/firmware/build/figures.txt).
#
# Needs: rustup targets thumbv7em-none-eabihf and riscv32imc-unknown-none-elf, gcc-arm-none-eabi,
# libnewlib-arm-none-eabi, qemu-system-arm, gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf,
# qemu-system-misc (.ci/install-firmware.sh installs them). Outputs go to tests/firmware/build/.
# WERUN_FW_TARGETS (e.g. "thumbv7em-none-eabihf") and WERUN_FW_PROFILES (e.g. "s") limit the run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$here/build"
targets=${WERUN_FW_TARGETS:-"thumbv7em-none-eabihf riscv32imc-unknown-none-elf"}
profiles=${WERUN_FW_PROFILES:-"s z"}
# The decrypt-only image's budget: werun's .text + .rodata (werun, aes, core, compiler_builtins).
FLASH_BUDGET=16384
# werun_decrypt_steps' stack, its scrub included, measured from the call instruction: at most
# 1 KiB on both targets (944 B on Cortex-M4 at "s", 928 at "z"; 828 B on RV32IMC), the scrub
# reaching 90 to 100 B below the deepest write (src/stack.rs).
STACK_BUDGET=1024
# Per target: the C toolchain, its flags, the linker script, the emulator.
setup_target() {
  case $1 in
    thumbv7em-none-eabihf)
      tool=arm-none-eabi
      cpu=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
      ldcpu=("${cpu[@]}")
      libc=(-lc -lgcc)
      ldscript="$here/mps2-an386.ld"
      qemu=(qemu-system-arm -M mps2-an386 -cpu cortex-m4)
      ;;
    riscv32imc-unknown-none-elf)
      tool=riscv64-unknown-elf
      # Zicsr for the instruction counter (csrr); the link names the plain ISA, which is what
      # selects picolibc's rv32im/ilp32 multilib.
      cpu=(-march=rv32imc_zicsr -mabi=ilp32 --specs=picolibc.specs)
      ldcpu=(-march=rv32imc -mabi=ilp32 --specs=picolibc.specs)
      libc=(-lc -lgcc)
      ldscript="$here/riscv-virt.ld"
      qemu=(qemu-system-riscv32 -M virt -bios none)
      ;;
    *) echo "tests/firmware: unknown target '$1'" >&2; exit 2 ;;
  esac
}

missing=0
for target in $targets; do
  setup_target "$target"
  for t in "$tool-gcc" "$tool-nm" "$tool-objdump" "${qemu[0]}"; do
    if ! command -v "$t" >/dev/null; then
      echo "tests/firmware: $t not found; run .ci/install-firmware.sh" >&2
      missing=1
    fi
  done
  if command -v rustup >/dev/null && ! grep -qx "$target" <<<"$(rustup target list --installed)"; then
    echo "tests/firmware: rustup target $target missing; run .ci/install-firmware.sh" >&2
    missing=1
  fi
done
for t in cargo timeout python3; do
  command -v "$t" >/dev/null || { echo "tests/firmware: $t not found" >&2; missing=1; }
done
[ "$missing" = 0 ] || exit 1

cflags=(-std=c11 -Os -g -ffunction-sections -fdata-sections -ffreestanding
        -Wall -Wextra -Werror -I"$root/include" -I"$root/tests/vectors")
# Every allocator entry point of newlib and picolibc (and the heap's sbrk) becomes a reference to
# a symbol that exists nowhere: any call to one fails the link.
no_heap=()
for f in malloc free calloc realloc memalign aligned_alloc posix_memalign \
         _malloc_r _free_r _calloc_r _realloc_r _memalign_r _sbrk _sbrk_r sbrk; do
  no_heap+=("-Wl,--wrap=$f")
done

mkdir -p "$build"
figures="$build/figures.txt"
: >"$figures"
status=0
fail() {
  echo "tests/firmware: FAIL: $*" >&2
  status=1
}

# Links $1 (an object) with the staticlib into $2.elf; the link-time proofs.
link() {
  local obj=$1 out=$2
  if ! "$tool-gcc" "${ldcpu[@]}" -nostdlib -nostartfiles -T "$ldscript" \
      -Wl,--gc-sections -Wl,--no-warn-execstack -Wl,-Map="$out.map" "${no_heap[@]}" \
      "$obj" "$lib" "${libc[@]}" -o "$out.elf" 2>"$out.link.log"; then
    cat "$out.link.log" >&2
    if grep -q werun_panic_is_reachable "$out.link.log"; then
      echo "tests/firmware: FAIL: a panic is reachable from werun's C ABI ($target, opt-level" \
        "$opt): the code above references the panic handler. Where:" >&2
      # Link again ignoring the undefined symbol, only to name the panicking call chains.
      if "$tool-gcc" "${ldcpu[@]}" -nostdlib -nostartfiles -T "$ldscript" -Wl,--gc-sections \
          -Wl,--no-warn-execstack -Wl,--unresolved-symbols=ignore-all "$obj" "$lib" \
          "${libc[@]}" -o "$out.panic-paths.elf"; then
        OBJDUMP="$tool-objdump" python3 "$here/panic-paths.py" "$out.panic-paths.elf" >&2 || true
      fi
    fi
    if grep -q '__wrap_' "$out.link.log"; then
      echo "tests/firmware: FAIL: the image calls an allocator" >&2
    fi
    return 1
  fi
  cat "$out.link.log" >&2
  # Belt and braces: no allocator and no panic handler in the image. (nm's output is captured
  # first: under `nm | grep` a failing nm would read as "not found".)
  local symbols
  if ! symbols=$("$tool-nm" "$out.elf"); then
    echo "tests/firmware: FAIL: $tool-nm $out.elf failed" >&2
    return 1
  fi
  if ! grep -q ' T werun_decrypt_steps$' <<<"$symbols"; then
    echo "tests/firmware: FAIL: no werun_decrypt_steps in nm's output: cannot check symbols" >&2
    return 1
  fi
  if grep -E ' (malloc|free|calloc|realloc|_sbrk|sbrk|_malloc_r)$' <<<"$symbols"; then
    echo "tests/firmware: FAIL: allocator symbol in the image" >&2
    return 1
  fi
  if grep -E 'werun_panic_is_reachable|rust_begin_unwind|core::panicking|panic_fmt' <<<"$symbols"; then
    echo "tests/firmware: FAIL: panic machinery in the image" >&2
    return 1
  fi
}

for target in $targets; do
  setup_target "$target"
  for opt in $profiles; do
    case $opt in
      z) profile=release ;;
      s) profile=release-s ;;
      *) echo "tests/firmware: unknown opt-level '$opt' (z or s)" >&2; exit 2 ;;
    esac
    echo "== $target, opt-level \"$opt\": cargo build --profile $profile --target $target"
    # RUSTFLAGS from the environment (e.g. sanitizers for the host tests) must not leak in.
    (cd "$here/werun-fw" &&
      env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_TARGET -u CARGO_BUILD_RUSTFLAGS \
        cargo build --quiet --profile "$profile" --target "$target" \
        --target-dir "$here/werun-fw/target")
    lib="$here/werun-fw/target/$target/$profile/libwerun_fw.a"

    for image in decrypt-only full; do
      out="$build/$target/opt-$opt/$image"
      mkdir -p "$(dirname "$out")"
      defines=(-DWERUN_FW_PROFILE="\"$opt\"")
      [ "$image" = full ] || defines+=(-DWERUN_FW_DECRYPT_ONLY)
      echo "-- $image image ($target, opt-level \"$opt\")"
      "$tool-gcc" "${cpu[@]}" "${cflags[@]}" "${defines[@]}" -c "$here/firmware.c" -o "$out.o"
      if ! link "$out.o" "$out"; then
        fail "$target, opt-level $opt, $image image: link-time proof"
        continue
      fi
      echo "   panic proof: the image links without werun_panic_is_reachable: no panic is reachable"
      echo "   by origin, from the linker map (stack not included):"
      awk -f "$here/sizes.awk" "$out.map" | tee "$out.sizes.txt" | sed 's/^/   /'
      read -r werun_text werun_rodata werun_flash werun_ram < <(awk '$1 == "werun" {
        print $2, $3, $6, $7 }' "$out.sizes.txt")

      set +e
      timeout 120 "${qemu[@]}" -nographic -monitor none -serial none -icount shift=0 \
        -semihosting-config enable=on,target=native -kernel "$out.elf" >"$out.qemu.log" 2>&1
      rc=$?
      set -e
      sed 's/^/   /' "$out.qemu.log"
      if [ "$rc" -ne 0 ] || ! grep -q '^PASSED' "$out.qemu.log"; then
        fail "$target, opt-level $opt, $image image: qemu exit status $rc"
      fi
      stack=$(sed -n 's/^stack werun_decrypt_steps: max \([0-9]*\) B.*/\1/p' "$out.qemu.log")
      insns=$(sed -n 's/^insns werun_decrypt_steps sample: \([0-9]*\) .*/\1/p' "$out.qemu.log")
      stacks=$(sed -n 's/^stack werun_\([a-z_]*\): max \([0-9]*\) B.*/\1 \2/p' "$out.qemu.log" |
        tr '\n' ' ')
      if [ "$image" = decrypt-only ] && [ "${werun_flash:-0}" -gt "$FLASH_BUDGET" ]; then
        fail "$target, opt-level $opt: the decrypt-only image has $werun_flash B of werun" \
          "flash, more than $FLASH_BUDGET"
      fi
      if [ -z "$stack" ] || [ "$stack" -gt "$STACK_BUDGET" ]; then
        fail "$target, opt-level $opt, $image image: werun_decrypt_steps uses ${stack:-?} B of" \
          "stack, more than $STACK_BUDGET"
      fi
      printf '%s %s %s %s %s %s %s %s %s\n' "$target" "$opt" "$image" "$werun_flash" \
        "$werun_text" "$werun_rodata" "$werun_ram" "${insns:-?}" "$stacks" >>"$figures"
    done
  done
done

echo
echo "== figures (werun's flash and static RAM from libwerun_fw.a; stack: max over the vectors,"
echo "   from the call instruction, scrub included; instructions: one werun_decrypt_steps of the"
echo "   31-entry sample, 1,664 base64 characters)"
awk '{
  printf "%-28s %-2s %-12s flash %6d B (.text %6d + .rodata %5d), RAM %d B, %7s insns\n",
    $1, $2, $3, $4, $5, $6, $7, $8
  line = "     stack:"
  for (i = 9; i < NF; i += 2) line = line sprintf(" %s %d B,", $i, $(i + 1))
  sub(/,$/, "", line); print line
}' "$figures"
if [ "$status" -eq 0 ]; then
  echo "tests/firmware: PASSED (targets: $targets; opt-levels: $profiles; decrypt-only and full" \
    "images; decrypt-only flash <= $FLASH_BUDGET B, werun_decrypt_steps stack <= $STACK_BUDGET B)"
fi
exit "$status"
