"""pytest setup for the binding: the checkout's package on sys.path (unless WERUN_TEST_INSTALLED
is set, to test an installed copy) and the shared test vectors. The doctests (docstrings and
README.md) get no names from here: each example defines what it uses."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VECTORS_PATH = REPO / "tests" / "vectors" / "werun.json"
# (WERUN_TEST_HEADER: another copy, to see tests/test_header.py fail on an addition.)
HEADER_PATH = Path(os.environ.get("WERUN_TEST_HEADER") or REPO / "include" / "werun.h")

if os.environ.get("WERUN_TEST_INSTALLED"):
    # pytest put this directory on sys.path to import this file: the checkout's package
    # must not shadow the installed one.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    import werun

    assert HERE not in Path(werun.__file__).resolve().parents, werun.__file__
else:
    sys.path.insert(0, str(HERE))


def load_vectors() -> dict:
    with open(VECTORS_PATH, encoding="utf-8") as f:
        return json.load(f)
