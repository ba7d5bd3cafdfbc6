#!/usr/bin/env bash
# A fuzz campaign: every target (or FUZZ_TARGETS) in turn for FUZZ_SECONDS each (default 600),
# starting from the committed corpus (fuzz/corpus/<target>) and the hand-written seeds
# (fuzz/seeds/<target>); new inputs go to a scratch corpus. Then the scratch corpus, the old
# corpus and the seeds are merged (libFuzzer -merge=1) into a fresh minimal corpus that replaces
# fuzz/corpus/<target>, so the next smoke run or campaign starts from the coverage reached.
# Prints a table per target and appends one row per target to fuzz/campaigns.tsv (the campaign
# table of docs/hardening.md is printed from it by fuzz/campaign.sh --summary).
#
#   make fuzz-campaign FUZZ_SECONDS=1800            # or: FUZZ_SECONDS=1800 fuzz/campaign.sh
#   FUZZ_TARGETS="parser base64" FUZZ_SECONDS=600 fuzz/campaign.sh
#   FUZZ_TARGETS="parser:3000 base64:600 differential" FUZZ_SECONDS=300 fuzz/campaign.sh
#                                                   # a duration of its own per target
#   fuzz/campaign.sh --summary                      # the campaign table (Markdown), from the log
#
# Runs niced (FUZZ_NICE, default 10), one target at a time. A crash, leak or timeout stops that
# target's run (its input is in fuzz/artifacts/<target>/, the finding is counted in the log) and
# the campaign goes on with the next target; the script exits 1 at the end if anything was found.
# Minimize a finding with `cargo +nightly fuzz tmin -O <target> <input>`, fix it, and keep the
# input under fuzz/regressions/<target>/ (fuzz/regressions/README.md).
set -euo pipefail
cd "$(dirname "$0")"
log=campaigns.tsv
header=$'date\tcommit\ttarget\tseconds\texecutions\texec_per_s\tcov\tft\tedges\tcorpus_before\tcorpus_after\tcorpus_bytes\tnew_files\tfindings'

summary() {
  # The campaign table of docs/hardening.md, in Markdown: one row per campaign (the rows of the
  # log sharing a date), executions and corpus edges per target, findings, cumulative executions.
  awk -F'\t' 'function g(x,  s, r) { s = sprintf("%d", x); r = ""
      while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
      return s r }
    NR > 1 {
      if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1; commit[$1] = $2 }
      ex[$1] += $5; fi[$1] += $14; sec[$1] += $4
      per[$1] = per[$1] sprintf("%s`%s` %s s: %s (%d)", (per[$1] == "" ? "" : "; "), $3, $4, g($5), $9)
    }
    END {
      print "| campaign (UTC) | commit | per target: seconds: executions (corpus edges) | executions | findings | cumulative |"
      print "|---|---|---|---:|---:|---:|"
      for (i = 1; i <= n; i++) {
        d = order[i]; cum += ex[d]
        printf "| %s | %s | %s | %s | %d | %s |\n", d, commit[d], per[d], g(ex[d]), fi[d], g(cum)
      }
    }' "$log"
}
if [ "${1:-}" = "--summary" ]; then summary; exit 0; fi

default_seconds=${FUZZ_SECONDS:-600}
read -r -a targets <<<"${FUZZ_TARGETS:-ffi_decrypt ffi_keys parser base64 differential}"
nice_n=${FUZZ_NICE:-10}
stamp=$(date -u +%Y-%m-%dT%H:%MZ)
# The commit fuzzed; "+dirty" when the library or the targets had uncommitted changes.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- ../src ../Cargo.toml fuzz_targets Cargo.toml 2>/dev/null || commit="$commit+dirty"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -f "$log" ] || printf '%s\n' "$header" >"$log"

# Built once: every target of a campaign fuzzes the same code, even if the tree changes meanwhile.
nice -n "$nice_n" cargo +nightly fuzz build -O
bin=target/$(rustc +nightly -vV | sed -n 's/^host: //p')/release
found_any=0
rows=()
for entry in "${targets[@]}"; do
  t=${entry%%:*}
  seconds=$default_seconds
  [ "$entry" = "$t" ] || seconds=${entry#*:}
  mkdir -p "corpus/$t" "artifacts/$t" "$work/$t" "$work/$t.merged"
  before=$(find "corpus/$t" -type f | wc -l)
  # Findings: crash-, leak-, timeout- and oom- inputs (slow-unit- ones are only slow, and on a
  # shared machine mostly a descheduled process: shown, not counted).
  artifacts_before=$(find "artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l)
  slow_before=$(find "artifacts/$t" -type f -name 'slow-unit-*' | wc -l)
  echo "campaign: $t for ${seconds}s (corpus: $before files)"
  status=0
  # (What `cargo +nightly fuzz run -O $t ... --` runs, without rebuilding.)
  nice -n "$nice_n" "$bin/$t" -artifact_prefix="artifacts/$t/" "$work/$t" "corpus/$t" "seeds/$t" \
    -max_total_time="$seconds" -print_final_stats=1 -close_fd_mask=1 \
    >"$work/$t.log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$work/$t.log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$work/$t.log" | tail -n 1)
  # The last status line (DONE, or the one before a crash): "#N ... cov: C ft: F corp: ...".
  last=$(grep -E '^#[0-9]+' "$work/$t.log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  if [ -z "$execs" ]; then execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last"); fi
  findings=$(($(find "artifacts/$t" -type f ! -name 'slow-unit-*' | wc -l) - artifacts_before))
  slow=$(($(find "artifacts/$t" -type f -name 'slow-unit-*' | wc -l) - slow_before))
  [ "$slow" = 0 ] || echo "campaign: $t: $slow slow input(s) in fuzz/artifacts/$t/slow-unit-* (not counted as findings)"
  if [ "$status" != 0 ]; then
    tail -n 40 "$work/$t.log"
    echo "campaign: $t FAILED (exit $status): the input is in fuzz/artifacts/$t/"
    if [ -z "$last" ]; then echo "campaign: $t did not start fuzzing"; exit 1; fi
    [ "$findings" -gt 0 ] || findings=1
    found_any=1
  fi
  # Merge: every input of the old corpus, the seeds and the scratch corpus that adds coverage,
  # into an empty directory (a full minimization, as `cargo fuzz cmin` does).
  nice -n "$nice_n" "$bin/$t" -artifact_prefix="artifacts/$t/" "$work/$t.merged" "corpus/$t" "seeds/$t" "$work/$t" \
    -merge=1 -close_fd_mask=1 >"$work/$t.merge.log" 2>&1 \
    || { tail -n 20 "$work/$t.merge.log"; echo "campaign: merge of $t FAILED; corpus/$t left as it was"; exit 1; }
  # "MERGE-OUTER: N new files with F new features added; E new coverage edges"
  edges=$(sed -n 's/.*MERGE-OUTER: .* \([0-9]*\) new coverage edges.*/\1/p' "$work/$t.merge.log" | tail -n 1)
  new_files=0
  for f in "$work/$t.merged"/*; do
    [ -e "$f" ] || continue
    [ -e "corpus/$t/$(basename "$f")" ] || new_files=$((new_files + 1))
  done
  find "corpus/$t" -type f -delete
  cp "$work/$t.merged"/* "corpus/$t/" 2>/dev/null || true
  after=$(find "corpus/$t" -type f | wc -l)
  bytes=$(find "corpus/$t" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$commit" "$t" "$seconds" \
    "${execs:-0}" "${rate:-0}" "${cov:-0}" "${ft:-0}" "${edges:-0}" "$before" "$after" "$bytes" \
    "$new_files" "$findings" >>"$log"
  rows+=("$(printf '%-13s %6s %12s %8s %6s %7s %6s %9s %10s %9s %8s' "$t" "$seconds" "${execs:-0}" \
    "${rate:-0}" "${cov:-0}" "${ft:-0}" "${edges:-0}" "$before->$after" "$bytes" "$new_files" "$findings")")
  echo "campaign: $t: ${execs:-0} executions (${rate:-0}/s), cov ${cov:-0} ft ${ft:-0}, corpus $before -> $after files (edges ${edges:-0}), findings $findings"
done

echo
printf '%-13s %6s %12s %8s %6s %7s %6s %9s %10s %9s %8s\n' target secs executions exec/s cov ft edges files bytes new findings
printf '%s\n' "${rows[@]}"
echo
summary
exit "$found_any"
