"""PEP 517 build backend for the werun Python package, with no dependencies.

``pip install ./bindings/python`` calls :func:`build_wheel`, which

1. builds libwerun with cargo, exactly as ``make lib`` does (so a library that ``make lib``
   already built is reused as is), in the repository this directory belongs to;
2. writes a wheel holding the ``werun`` package with the library inside it.

The wheel is tagged ``py3-none-<platform>``: the library is loaded with ctypes, so one build
serves every Python 3, but it holds machine code for this platform.

Environment:

* ``WERUN_BUNDLE_LIBRARY=/path/to/libwerun.so``: bundle this library instead of running
  cargo (for an sdist built away from the Rust sources, or a cross-build made elsewhere).
* ``CARGO``: the cargo to run (default: ``cargo`` on PATH, then ``~/.cargo/bin/cargo``).

Only ``build_wheel`` (with ``prepare_metadata_for_build_wheel``) and ``build_sdist`` are provided (no editable installs: for development,
import the package from the checkout and set ``WERUN_LIBRARY``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

NAME = "werun"
HERE = Path(__file__).resolve().parent.parent  # bindings/python
REPO = HERE.parent.parent

if sys.platform == "darwin":
    LIBRARY_NAME = "libwerun.dylib"
elif sys.platform == "win32":
    LIBRARY_NAME = "werun.dll"
else:
    LIBRARY_NAME = "libwerun.so"


def _version() -> str:
    text = (HERE / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"', text, re.M)
    if not match:
        raise RuntimeError("no version in pyproject.toml")
    return match.group(1)


def _metadata() -> str:
    text = (HERE / "pyproject.toml").read_text(encoding="utf-8")
    description = re.search(r'^description = "([^"]+)"', text, re.M)
    requires = re.search(r'^requires-python = "([^"]+)"', text, re.M)
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {NAME}",
        f"Version: {_version()}",
        f"Summary: {description.group(1) if description else ''}",
        "License: MIT OR Apache-2.0",
        f"Requires-Python: {requires.group(1) if requires else '>=3'}",
        "Description-Content-Type: text/markdown",
        "",
    ]
    readme = HERE / "README.md"
    body = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    return "\n".join(lines) + "\n" + body


def _cargo() -> str:
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo:
        home = Path.home() / ".cargo" / "bin" / "cargo"
        if home.is_file():
            cargo = str(home)
    if not cargo:
        raise RuntimeError(
            "werun: building the Python package needs Rust (cargo), which was not found. "
            "Install it (https://rustup.rs), set CARGO=/path/to/cargo, or set "
            "WERUN_BUNDLE_LIBRARY to a libwerun built with `make lib`."
        )
    return cargo


def _build_library() -> Path:
    prebuilt = os.environ.get("WERUN_BUNDLE_LIBRARY")
    if prebuilt:
        path = Path(prebuilt)
        if not path.is_file():
            raise RuntimeError(f"werun: WERUN_BUNDLE_LIBRARY={prebuilt!r} is not a file")
        return path
    if not (REPO / "Cargo.toml").is_file():
        raise RuntimeError(
            f"werun: the Rust sources are not at {REPO} (expected bindings/python inside the "
            "werun repository). Install from the repository (`pip install ./bindings/python`) "
            "or set WERUN_BUNDLE_LIBRARY to a libwerun built with `make lib`."
        )
    # The Makefile's `lib` command, flag for flag, so that cargo reuses its build.
    command = [_cargo(), "rustc", "--release", "--lib", "--features", "std",
               "--crate-type", "staticlib,cdylib"]
    if sys.platform.startswith("linux"):
        command += ["--", "-C", "link-arg=-Wl,-soname,libwerun.so.0"]
    print("werun: building the library:", " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, cwd=REPO, check=True, stdout=sys.stderr)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    built = target / "release" / LIBRARY_NAME
    if not built.is_file():
        raise RuntimeError(f"werun: cargo finished but {built} is missing")
    return built


def _platform_tag() -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def _package_files() -> list[tuple[str, Path]]:
    files = []
    for path in sorted((HERE / NAME).iterdir()):
        if path.suffix in (".py", ".typed"):
            files.append((f"{NAME}/{path.name}", path))
    return files


# --- PEP 517 hooks --------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings=None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None) -> str:
    """The metadata without building the library (so pip does not build twice)."""
    dist_info = Path(metadata_directory) / f"{NAME}-{_version()}.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(_metadata(), encoding="utf-8")
    (dist_info / "WHEEL").write_text(_wheel_file(), encoding="utf-8")
    return dist_info.name


def _wheel_file() -> str:
    return (
        "Wheel-Version: 1.0\n"
        "Generator: werun_build\n"
        "Root-Is-Purelib: false\n"
        f"Tag: py3-none-{_platform_tag()}\n"
    )


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    library = _build_library()
    version = _version()
    tag = f"py3-none-{_platform_tag()}"
    dist_info = f"{NAME}-{version}.dist-info"
    wheel_name = f"{NAME}-{version}-{tag}.whl"
    entries: list[tuple[str, bytes, int]] = []
    for arcname, path in _package_files():
        entries.append((arcname, path.read_bytes(), 0o644))
    entries.append((f"{NAME}/{LIBRARY_NAME}", library.read_bytes(), 0o755))
    entries.append((f"{dist_info}/METADATA", _metadata().encode("utf-8"), 0o644))
    entries.append((f"{dist_info}/WHEEL", _wheel_file().encode(), 0o644))
    record = [_record_line(name, data) for name, data, _ in entries]
    record.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode(), 0o644))

    path = Path(wheel_directory) / wheel_name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data, mode in entries:
            info = zipfile.ZipInfo(arcname, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None) -> str:
    """The Python sources and this backend. Building a wheel from it needs
    ``WERUN_BUNDLE_LIBRARY`` (the Rust sources are not inside)."""
    version = _version()
    base = f"{NAME}-{version}"
    name = f"{base}.tar.gz"
    members = [("pyproject.toml", HERE / "pyproject.toml"), ("README.md", HERE / "README.md"),
               ("build_backend/werun_build.py", Path(__file__).resolve())]
    members += _package_files()
    pkg_info = _metadata()
    with tarfile.open(Path(sdist_directory) / name, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for arcname, path in members:
            if path.is_file():
                tar.add(path, arcname=f"{base}/{arcname}")
        data = pkg_info.encode("utf-8")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return name
