"""Finding and checking the library at import (run in subprocesses): against the checkout, and
against an installed wheel (run-tests.sh), where a broken install must say how to fix it too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HERE

INSTALLED = bool(os.environ.get("WERUN_TEST_INSTALLED"))


def import_werun(cwd=None, **env_changes):
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = "import werun; print(werun.LIBRARY_PATH)"
    if cwd is None:
        cwd = "/" if INSTALLED else HERE
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=cwd)


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
    import werun

    result = import_werun(WERUN_LIBRARY=None)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.name == "libwerun.so"
    if INSTALLED:  # the copy bundled in the installed package
        assert path.parent == Path(werun.__file__).resolve().parent, path


def test_a_package_without_its_library_says_how_to_fix_it(tmp_path):
    """A copy of the package's Python files, without the library, outside any checkout."""
    import werun

    package = Path(werun.__file__).resolve().parent
    shutil.copytree(package, tmp_path / "werun",
                    ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    result = import_werun(cwd=tmp_path, WERUN_LIBRARY=None)
    assert result.returncode != 0
    assert "ImportError: werun: cannot find libwerun.so" in result.stderr, result.stderr
    assert str(tmp_path / "werun" / "libwerun.so") in result.stderr
    assert "pip install --force-reinstall" in result.stderr
    assert "make lib" in result.stderr


@pytest.mark.skipif(not shutil.which("cc"), reason="no C compiler")
def test_a_library_with_another_abi_version_is_refused(tmp_path):
    """A real shared library with every werun_* symbol whose werun_abi_version() says 2."""
    from werun import _ffi

    lines = [f"int {name}(void) {{ return 0; }}" for name in _ffi.FUNCTIONS
             if name != "werun_abi_version"]
    lines.append(f"unsigned werun_abi_version(void) {{ return {_ffi.WERUN_ABI_VERSION + 1}; }}")
    (tmp_path / "stub.c").write_text("\n".join(lines) + "\n")
    subprocess.run(["cc", "-shared", "-fPIC", "stub.c", "-o", "libwerun.so"], cwd=tmp_path,
                   check=True)
    result = import_werun(WERUN_LIBRARY=str(tmp_path / "libwerun.so"))
    assert result.returncode != 0
    assert ("ImportError: werun: %s has ABI version 2 but this binding needs 1"
            % (tmp_path / "libwerun.so")) in result.stderr, result.stderr
    assert "same werun release" in result.stderr
    assert "pip install --force-reinstall" in result.stderr


def test_an_abi_version_mismatch_is_refused():
    import pytest

    from werun import _ffi

    class FakeLibrary:
        @staticmethod
        def werun_abi_version():
            return _ffi.WERUN_ABI_VERSION + 1

    with pytest.raises(ImportError, match="ABI version 2 but this binding needs 1"):
        _ffi._check_abi(FakeLibrary(), "libwerun.so")
