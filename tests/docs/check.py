#!/usr/bin/env python3
"""Checks the documentation (`make test-docs`, through tests/docs/run.sh).

    check.py OUTDIR

* Every page stands alone: each relative link points to a file of the repository (and a heading
  of it, for `page.md#anchor` and `#anchor`), and no page points to what lies outside it (a
  sibling directory, this machine's paths) or quotes internal targets ("bar").
* Every C, C++, Rust, Go, Python or JavaScript block in README.md, docs/*.md and the C++, Go and
  PHP bindings' READMEs is a complete program that the tests run: it follows a `<!-- run: LANG -->` line (or
  sits between the c-example markers, which tests/c/run.sh extracts). Rust blocks may be only in
  README.md, which src/lib.rs includes as a doctest; Go blocks only in README.md and
  bindings/go/README.md, which tests/release/go-module.sh runs from the module cache. (The
  Python, Node and Java bindings' READMEs are run by their own tests; the Java blocks of
  README.md and bindings/java/README.md by tests/release/java.sh.)
* No block is skipped in silence: a block in any other language fails the check unless its
  language is in NOT_PROGRAMS (commands and configuration, not programs: named below with the
  reason) or the page and language are in RUN_ELSEWHERE, which names the test that runs them
  (that test must exist and name the page); a block with a `<!-- not run: REASON -->` line before
  it is allowed too, and reported.

Writes the C, C++, Python and JavaScript blocks to OUTDIR as <page>-<n>.<ext>, for run.sh to build and run.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN_LANGS = {"c": "c", "cpp": "cpp", "rust": "rs", "go": "go", "python": "py", "js": "js"}
# Languages whose blocks are not programs: shell commands to type and build or configuration files
# (the Makefile's targets and tests/release/ run the real builds).
NOT_PROGRAMS = {"sh", "cmake", "ini", "toml", "text", "xml"}
# (page, language) -> the test that runs those blocks (which must mention the page).
RUN_ELSEWHERE = {
    ("README.md", "java"): "tests/release/java.sh",
    ("README.md", "php"): "tests/release/php.sh",
    ("docs/migration.md", "php"): "tests/release/php.sh",
    ("bindings/php/README.md", "php"): "tests/release/php.sh",
}
FORBIDDEN = [
    (re.compile(r"\.\./shared|/work/|/root/"), "a path outside the repository"),
    (re.compile(r"\bbar is not met|\bbar: ?≥|\bthe \d+x bar\b", re.I), "an internal target ('bar')"),
]


def pages():
    out = ["README.md", "SECURITY.md", "CHANGELOG.md", "packaging/README.archive.md"]
    out += sorted("docs/" + f for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))
    out += [f"bindings/{b}/README.md" for b in ("python", "go", "cpp", "node", "php", "java")]
    return [p for p in out if os.path.exists(os.path.join(ROOT, p))]


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}


def main(outdir):
    errors = []
    written = []
    for page in pages():
        path = os.path.join(ROOT, page)
        text = open(path, encoding="utf-8").read()
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        for pattern, what in FORBIDDEN:
            for m in pattern.finditer(text):
                errors.append(f"{page}: {what}: {m.group(0)!r}")
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            if not dest.startswith(ROOT + os.sep):
                errors.append(f"{page}: link outside the repository: {target}")
            elif not os.path.exists(dest):
                errors.append(f"{page}: broken link: {target}")
            elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
                errors.append(f"{page}: no heading for #{anchor} in {os.path.relpath(dest, ROOT)}")
        if page.startswith(("bindings/python/", "bindings/node/", "bindings/java/")):
            continue  # their code is run by their own tests (README examples included)
        lines = text.split("\n")
        in_example = False
        n = 0
        i = 0
        while i < len(lines):
            line = lines[i]
            if "<!-- c-example:begin -->" in line:
                in_example = True
            if "<!-- c-example:end -->" in line:
                in_example = False
            m = re.match(r"^```(\w+)\s*$", line)
            if line.strip() == "```":
                errors.append(f"{page}:{i + 1}: a block without a language: name it (```sh, ...)")
            if not m:
                i += 1
                continue
            lang = m.group(1)
            end = lines.index("```", i + 1)
            block = "\n".join(lines[i + 1:end]) + "\n"
            if lang in RUN_LANGS:
                marker = next((l for l in reversed(lines[:i]) if l.strip()), "")
                if in_example and lang == "c":
                    pass
                elif marker.strip() != f"<!-- run: {lang} -->":
                    errors.append(f"{page}:{i + 1}: a {lang} block without '<!-- run: {lang} -->' "
                                  "before it: make it a complete program the tests run")
                elif (lang == "rust" and page != "README.md") or (
                        lang == "go" and page not in ("README.md", "bindings/go/README.md")):
                    errors.append(f"{page}:{i + 1}: no test runs {lang} blocks of this page")
                elif lang in ("c", "cpp", "python", "js"):
                    n += 1
                    name = f"{page.replace('/', '_').removesuffix('.md')}-{n}.{RUN_LANGS[lang]}"
                    with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
                        f.write(block)
                    written.append(name)
            else:
                marker = next((l for l in reversed(lines[:i]) if l.strip()), "").strip()
                runner = RUN_ELSEWHERE.get((page, lang))
                if runner is not None:
                    script = os.path.join(ROOT, runner)
                    if not os.path.exists(script):
                        errors.append(f"{page}:{i + 1}: {runner} (RUN_ELSEWHERE) does not exist")
                    elif page not in open(script, encoding="utf-8").read():
                        errors.append(f"{page}:{i + 1}: {runner} (RUN_ELSEWHERE) does not name "
                                      f"{page}")
                elif re.fullmatch(r"<!-- not run: .+ -->", marker):
                    print(f"tests/docs: {page}:{i + 1}: a {lang} block not run: {marker}",
                          file=sys.stderr)
                elif lang not in NOT_PROGRAMS:
                    errors.append(f"{page}:{i + 1}: a {lang} block that no test runs: make it a "
                                  "program a test runs (RUN_LANGS, RUN_ELSEWHERE in "
                                  "tests/docs/check.py), or put '<!-- not run: REASON -->' before it")
            i = end + 1
    lib = open(os.path.join(ROOT, "src", "lib.rs"), encoding="utf-8").read()
    if not re.search(r'#\[cfg\(doctest\)\]\s*#\[doc = include_str!\("\.\./README\.md"\)\]', lib):
        errors.append("src/lib.rs does not include README.md as a doctest")
    for e in errors:
        print("tests/docs:", e, file=sys.stderr)
    if errors:
        sys.exit(1)
    print("\n".join(written))


if __name__ == "__main__":
    main(sys.argv[1])
