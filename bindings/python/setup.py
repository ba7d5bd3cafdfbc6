"""Builds the werun Python package with setuptools and setuptools-rust (pyproject.toml has the
metadata; this file has what cannot be declared there).

* The Rust library: setuptools-rust runs ``cargo rustc --lib --crate-type cdylib --features
  std`` on the werun crate (``Binding.NoBinding``: plain C ABI, no Python bindings) and the
  library lands in the package as ``werun/libwerun.so``, where ``werun/_ffi.py`` loads it with
  ctypes.
* Where the crate is: ``rust/`` inside an sdist (``sdist`` below copies it there), else the
  repository this directory belongs to (``../..``).
* The version is the crate's (``Cargo.toml``); ``werun.__version__`` must say the same.
* The wheel is tagged ``py3-none-<platform>``: nothing in it depends on the Python version.

Environment: ``CARGO`` (the cargo to run; ``make python-dist`` points it at ``zigcargo``, which
links against glibc 2.17 for manylinux2014), ``CARGO_BUILD_TARGET`` (cross builds),
``CARGO_TARGET_DIR`` (default in a checkout: ``target/python`` of the repository, so that
``make lib``'s ``target/release`` is left alone).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.sdist import sdist as _sdist
from setuptools_rust import Binding, RustExtension
from setuptools_rust.build import build_rust as _build_rust

try:
    from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel as _bdist_wheel

HERE = Path(__file__).resolve().parent
SDIST_CRATE = HERE / "rust"
REPO = HERE.parent.parent

# What the sdist carries of the crate: what `cargo rustc --lib` needs (src/lib.rs includes
# README.md; Cargo.toml declares benches/werun.rs and the workspace member cli/, the werun
# command, which cargo loads but does not build here), the lock file, and the C header.
CRATE_FILES = ["Cargo.toml", "Cargo.lock", "README.md", "cbindgen.toml", "src/**/*",
               "include/**/*", "benches/*.rs", "cli/Cargo.toml", "cli/src/*.rs"]

if sys.platform == "darwin":
    LIBRARY_NAME = "libwerun.dylib"
elif sys.platform == "win32":
    LIBRARY_NAME = "werun.dll"
else:
    LIBRARY_NAME = "libwerun.so"


def crate_dir() -> Path:
    for candidate in (SDIST_CRATE, REPO):
        if (candidate / "Cargo.toml").is_file() and (candidate / "src" / "ffi.rs").is_file():
            return candidate
    raise SystemExit(
        f"werun: the Rust crate is neither in {SDIST_CRATE} (an sdist) nor in {REPO} (a "
        "checkout of the werun repository): build from the sdist or from the repository")


def cargo_version(crate: Path) -> str:
    """The ``[package]`` version of Cargo.toml, as a PEP 440 version."""
    text = (crate / "Cargo.toml").read_text(encoding="utf-8")
    package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = package and re.search(r'^version\s*=\s*"([^"]+)"', package.group(1), re.M)
    if not found:
        raise SystemExit(f"werun: no [package] version in {crate / 'Cargo.toml'}")
    semver = found.group(1)
    match = re.fullmatch(r"(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.?(\d+))?", semver)
    if not match:
        raise SystemExit(f"werun: crate version {semver!r} has no PEP 440 spelling here")
    release, pre, number = match.groups()
    return release + ({"alpha": "a", "beta": "b", "rc": "rc"}[pre] + number if pre else "")


def package_version() -> str:
    text = (HERE / "werun" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not found:
        raise SystemExit("werun: no __version__ in werun/__init__.py")
    return found.group(1)


CRATE = crate_dir()
VERSION = cargo_version(CRATE)
if package_version() != VERSION:
    raise SystemExit(
        f"werun: werun/__init__.py says __version__ = {package_version()!r} but the crate "
        f"({CRATE / 'Cargo.toml'}) is {VERSION!r}: make them equal")
if CRATE == REPO:
    os.environ.setdefault("CARGO_TARGET_DIR", str(REPO / "target" / "python"))


class build_rust(_build_rust):
    """The library keeps its platform name (``libwerun.so``) instead of an extension module's
    (``libwerun.cpython-311-x86_64-linux-gnu.so``): it is not one, and _ffi.py looks for it."""

    def get_dylib_ext_path(self, ext: RustExtension, target_fname: str) -> str:
        return str(Path(super().get_dylib_ext_path(ext, target_fname)).with_name(LIBRARY_NAME))


class bdist_wheel(_bdist_wheel):
    """``py3-none-<platform>``: ctypes loads the library, so any Python 3 can use the wheel."""

    def get_tag(self) -> tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


class sdist(_sdist):
    """Adds the crate (see CRATE_FILES) under ``rust/``, so the sdist builds anywhere cargo
    exists."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        dest = Path(base_dir) / "rust"
        copied = 0
        for pattern in CRATE_FILES:
            matches = sorted(p for p in CRATE.glob(pattern) if p.is_file())
            if not matches:
                raise SystemExit(f"werun: nothing in {CRATE} matches {pattern!r}")
            for path in matches:
                target = dest / path.relative_to(CRATE)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                copied += 1
        print(f"werun: copied {copied} files of the crate at {CRATE} into {dest}")


setup(
    version=VERSION,
    rust_extensions=[
        RustExtension(
            "werun.libwerun",
            path=str(CRATE / "Cargo.toml"),
            binding=Binding.NoBinding,
            features=["std"],
            # Release, as `make lib`, in editable installs too (setuptools-rust would make an
            # in-place build a debug build).
            debug=False,
            # The sdist's build uses exactly the dependency versions of its Cargo.lock.
            args=["--locked"] if CRATE == SDIST_CRATE else [],
            # Only the dynamic symbol table (the werun_* functions) is needed.
            rustc_flags=["-Cstrip=symbols"],
            py_limited_api=False,
        )
    ],
    cmdclass={"build_rust": build_rust, "bdist_wheel": bdist_wheel, "sdist": sdist},
    zip_safe=False,
)
