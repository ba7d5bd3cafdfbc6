# Sums a GNU ld map file (-Wl,-Map) by origin and output section: flash (.vectors, .text,
# .rodata, .ARM.exidx, .data's load image) and RAM (.data, .bss; the stack is counted apart).
# Origins: werun (libwerun_fw.a: werun, aes, cbc, base64ct, core, compiler_builtins), the test
# program (firmware.o, with the vectors), the C library (libc.a) and libgcc.
function hex(s,    i, c, n) {
  n = 0; s = tolower(s); sub(/^0x/, "", s)
  for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; n = n * 16 + c }
  return n
}
function origin(file) {
  if (file ~ /libwerun_fw\.a/) return "werun"
  if (file ~ /firmware\.o/) return "test program"
  if (file ~ /libc(_nano)?\.a/) return "libc"
  if (file ~ /libgcc\.a/) return "libgcc"
  return "other"
}
function account(size, file,    o, n) {
  n = hex(size); if (n == 0) return
  o = origin(file)
  if (out == ".text" || out == ".vectors" || out == ".ARM.exidx") text[o] += n
  else if (out == ".rodata") rodata[o] += n
  else if (out == ".data") data[o] += n
  else if (out == ".bss") bss[o] += n
  else return
  seen[o] = 1
}
/^Linker script and memory map/ { inmap = 1; next }
!inmap { next }
/^\.[^ ]+/ { out = $1; pending = 0; next }
/^ (\.|COMMON)[^ ]*$/ { pending = 1; next }
/^ (\.|COMMON)[^ ]* +0x[0-9a-f]+ +0x[0-9a-f]+ / { account($3, $4); pending = 0; next }
/^ +0x[0-9a-f]+ +0x[0-9a-f]+ / { if (pending) account($2, $3); pending = 0; next }
END {
  printf "%-13s %8s %8s %8s %8s %9s %8s\n", "origin", ".text", ".rodata", ".data", ".bss", "flash", "RAM"
  order[1] = "werun"; order[2] = "test program"; order[3] = "libc"; order[4] = "libgcc"; order[5] = "other"
  for (k = 1; k <= 5; k++) {
    o = order[k]
    if (!seen[o]) continue
    printf "%-13s %8d %8d %8d %8d %9d %8d\n", o, text[o], rodata[o], data[o], bss[o],
      text[o] + rodata[o] + data[o], data[o] + bss[o]
  }
}
