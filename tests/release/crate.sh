#!/usr/bin/env bash
# The crate as crates.io gets it, and what a release carries besides code (`make test-crate`):
#
# * `cargo package --list` holds only the crate's sources, its bench, the C header, the README,
#   the changelog and the licences (Cargo's own files besides);
# * `cargo package` builds the packaged crate on its own (outside the repository), and
#   `cargo publish --dry-run` accepts it (`--no-verify`: the build was just done);
# * the packaged src/lib.rs takes its docs from itself, not from the README (which speaks to
#   every audience): README.md is included only for the doctest of its Rust example;
# * CHANGELOG.md has a section for this version, and the bindings' licence files (the Python
#   and Node packages ship their own copies) equal the repository's, which the archive and the
#   crate ship.
#
# `--allow-dirty`: what is checked is the package, not the state of this working tree.
source "$(dirname "$0")/common.sh"
cd "$root"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

echo "== cargo package --list"
list=$(cargo package --list --allow-dirty 2>"$work/list.log") || { cat "$work/list.log" >&2; fail "cargo package --list"; }
unexpected=$(grep -Ev '^(\.cargo_vcs_info\.json|Cargo\.(toml|toml\.orig|lock)|README\.md|CHANGELOG\.md|LICENSE-(MIT|APACHE)|include/werun\.h|benches/werun\.rs|src/[a-z0-9_/]+\.rs)$' <<<"$list" || true)
[ -z "$unexpected" ] || fail "unexpected files in the package: $unexpected"
for f in src/lib.rs src/ffi.rs README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE include/werun.h; do
  grep -qx "$f" <<<"$list" || fail "$f is not in the package"
done
if grep -q 'warning' "$work/list.log"; then cat "$work/list.log" >&2; fail "cargo package warns"; fi

echo "== cargo package (the packaged crate builds on its own)"
cargo package --allow-dirty --quiet 2>"$work/package.log" || { cat "$work/package.log" >&2; fail "cargo package"; }
crate=target/package/werun-$version.crate
[ -f "$crate" ] || fail "no $crate"
echo "$crate: $(stat -c %s "$crate") bytes, $(wc -l <<<"$list") files"
tar -xzf "$crate" -C "$work"
grep -n 'include_str!("../README.md")' "$work/werun-$version/src/lib.rs" | grep -qv '^1:' ||
  fail "src/lib.rs does not include README.md (for its doctest)"
if grep -B2 'include_str!("../README.md")' "$work/werun-$version/src/lib.rs" | grep -q '^#!\[doc'; then
  fail "the crate's docs are the README"
fi
grep -B2 'include_str!("../README.md")' "$work/werun-$version/src/lib.rs" | grep -q 'cfg(doctest)' ||
  fail "README.md is included outside #[cfg(doctest)]"

echo "== cargo publish --dry-run"
cargo publish --dry-run --allow-dirty --no-verify --quiet 2>"$work/publish.log" ||
  { cat "$work/publish.log" >&2; fail "cargo publish --dry-run"; }

echo "== changelog and licences"
grep -q "^## \[$version\]" CHANGELOG.md || fail "CHANGELOG.md has no section for $version"
grep -q '^## \[Unreleased\]' CHANGELOG.md || fail "CHANGELOG.md has no Unreleased section"
for copy in bindings/*/LICENSE-*; do
  cmp -s "$copy" "$(basename "$copy")" || fail "$copy differs from $(basename "$copy") (copy it over)"
done
done_in
