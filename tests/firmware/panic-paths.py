#!/usr/bin/env python3
"""Names the call chains from werun's C ABI to the panic handler in a firmware image.

Usage: panic-paths.py IMAGE.elf  (an image linked with -Wl,--unresolved-symbols=ignore-all, so
that it exists even though werun_panic_is_reachable is undefined; run.sh does this when the
real link fails). Reads `objdump -d -C` ($OBJDUMP, arm-none-eabi-objdump by default), builds the
call graph from branch instructions (Arm: bl, b, b<cond>, cb(n)z; RISC-V: jal, j, jalr, b<cond>;
including tail calls and machine-outlined functions) and
prints, for every function that calls into core's panic machinery directly, one shortest chain
from an exported werun_* function, with the addresses of the panicking branches.
"""
import collections
import os
import re
import subprocess
import sys

FUNC = re.compile(r"^([0-9a-f]+) <(.*)>:$")
# Arm (b, bl, b<cond>[.w/.n], cb(n)z) and RISC-V (j, jal, jalr, b<cond>[z], call, tail) branches.
BRANCH = re.compile(r"^\s*([0-9a-f]+):\s+(?:b[\w.]*|cbn?z|j|jal|jalr|call|tail)\s+.*?([0-9a-f]+) <(.*?)(\+0x[0-9a-f]+)?>$")
PANIC = ("rust_begin_unwind", "core::panicking::", "panic_bounds_check", "slice_index_fail",
         "len_mismatch_fail", "unwrap_failed", "expect_failed", "slice_start_index",
         "slice_end_index", "core::result::unwrap_failed", "core::option::unwrap_failed",
         "core::option::expect_failed")


def is_panic(name):
    return any(p in name for p in PANIC)


def main():
    objdump = os.environ.get("OBJDUMP", "arm-none-eabi-objdump")
    dis = subprocess.run([objdump, "-d", "-C", "--no-show-raw-insn", sys.argv[1]],
                         check=True, capture_output=True, text=True).stdout
    calls = collections.defaultdict(set)  # caller -> callees
    sites = collections.defaultdict(list)  # caller -> addresses of branches into panics
    func = None
    for line in dis.splitlines():
        m = FUNC.match(line)
        if m:
            func = m.group(2)
            continue
        m = BRANCH.match(line)
        if m and func and m.group(3) != func:
            calls[func].add(m.group(3))
            if is_panic(m.group(3)) and not is_panic(func):
                sites[func].append(m.group(1))
    callers = collections.defaultdict(set)
    for f, cs in calls.items():
        for c in cs:
            callers[c].add(f)
    if not sites:
        print("no branch into a panic function found")
        return 1
    for f in sorted(sites):
        # Shortest chain from an exported werun_* function to f (BFS over callers).
        prev, queue, root = {f: None}, collections.deque([f]), None
        while queue:
            g = queue.popleft()
            if g.startswith("werun_"):
                root = g
                break
            for c in sorted(callers[g]):
                if c not in prev:
                    prev[c] = g
                    queue.append(c)
        chain = []
        g = root
        while g is not None:
            chain.append(g)
            g = prev[g]
        print(f"panics in {f} at {', '.join('0x' + a for a in sites[f])}")
        print("    reached by: " + (" -> ".join(chain) if root else "(no werun_* caller found)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
