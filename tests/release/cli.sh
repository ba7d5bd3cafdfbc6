#!/usr/bin/env bash
# The werun command as a user installs it (`make test-cli`): `cargo install --path cli --locked`
# into a fresh root outside the checkout, then the installed binary run from there with no Rust
# on PATH: the version, the bundled sample, a payload from the arguments and from stdin (its 31
# entries; a wrong appid exits with 8), the other modes, --help on stdout and a usage error (64);
# (docs/migration.md's PHP and Java snippets no longer call the command: its PHP blocks are run by
# tests/release/php.sh, which fails without php, like every PHP and Java test.)
source "$(dirname "$0")/common.sh"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/cli/Cargo.toml" | head -n 1)

echo "== cargo install --path cli"
# (A target directory of its own under target/, kept between runs: a rebuild is incremental.)
cargo install --quiet --locked --path "$root/cli" --root "$work/prefix" \
  --target-dir "$root/target/cli-install" 2>"$work/install.log" || { cat "$work/install.log" >&2; fail "cargo install"; }
werun=$work/prefix/bin/werun
[ -x "$werun" ] || fail "cargo install did not install $werun"
cd "$work"
export PATH="$work/prefix/bin:$(path_without_rust)"
[ "$(command -v werun)" = "$werun" ] || fail "werun is not the installed one on PATH"

echo "== the installed werun, outside the checkout, no Rust on PATH"
[ "$(werun --version)" = "werun $version" ] || fail "werun --version: $(werun --version)"
werun | tail -n 2 | head -n 1 | grep -q '^31 days, ' || fail "werun (the sample) printed no 31-day total"
werun --help >"$work/help" 2>"$work/help.err" || fail "werun --help: exit status $?"
grep -q '^usage: werun' "$work/help" && [ ! -s "$work/help.err" ] || fail "werun --help is not on stdout"
werun diagnose | grep -q '^WERUN_DATA: ' || fail "werun diagnose (the sample) is not WERUN_DATA"
werun open-data | grep -q '"watermark":{"timestamp":1717201234' || fail "werun open-data (the sample)"
set +e
werun --bogus >/dev/null 2>&1
code=$?
set -e
[ "$code" = 64 ] || fail "a usage error gave exit status $code, not 64"

# PROGRAM KEY IV APPID DATA for run_sample: the entries as "timestamp step" lines, from --json.
cat >"$work/steps-args" <<'SCRIPT'
#!/usr/bin/env bash
set -euo pipefail
out=$(werun --json --session-key "$1" --iv "$2" --appid "$3" -- "$4")
python3 -c 'import json, sys; [print(e["timestamp"], e["step"]) for e in json.load(sys.stdin)["stepInfoList"]]' <<<"$out"
SCRIPT
sed 's/ -- "\$4")$/ <<<"$4")/' "$work/steps-args" >"$work/steps-stdin"
cmp -s "$work/steps-args" "$work/steps-stdin" && fail "the stdin variant is the same script"
chmod +x "$work/steps-args" "$work/steps-stdin"
run_sample "$work/steps-args"
run_sample "$work/steps-stdin"

done_in
