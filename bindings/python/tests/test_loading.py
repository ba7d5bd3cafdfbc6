"""Finding and checking the library at import (run in subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import HERE


def import_werun(**env_changes):
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = "import werun; print(werun.LIBRARY_PATH)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=HERE if not os.environ.get("WERUN_TEST_INSTALLED") else "/")


def test_werun_library_is_used():
    import werun

    result = import_werun(WERUN_LIBRARY=werun.LIBRARY_PATH)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == werun.LIBRARY_PATH


def test_a_missing_werun_library_says_how_to_fix_it():
    result = import_werun(WERUN_LIBRARY="/nonexistent/libwerun.so")
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert "WERUN_LIBRARY='/nonexistent/libwerun.so' is not a file" in result.stderr
    assert "make lib" in result.stderr


def test_a_library_that_is_not_werun_is_refused():
    import ctypes.util

    libm = ctypes.util.find_library("m")
    path = next((p for p in ("/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/libm.so.6",
                             "/lib/aarch64-linux-gnu/libm.so.6") if os.path.exists(p)), libm)
    result = import_werun(WERUN_LIBRARY=path)
    assert result.returncode != 0
    assert "has no symbol werun_decrypt_steps" in result.stderr


def test_without_werun_library_the_bundled_or_built_library_is_found():
    result = import_werun(WERUN_LIBRARY=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("libwerun.so")


def test_an_abi_version_mismatch_is_refused():
    import pytest

    from werun import _ffi

    class FakeLibrary:
        @staticmethod
        def werun_abi_version():
            return _ffi.WERUN_ABI_VERSION + 1

    with pytest.raises(ImportError, match="ABI version 2 but this binding needs 1"):
        _ffi._check_abi(FakeLibrary(), "libwerun.so")
