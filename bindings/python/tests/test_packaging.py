"""One version (the crate's), the supported Pythons said the same way everywhere, the enums'
str(), and (against an installed wheel) the distribution's metadata and files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import werun

from conftest import HERE, REPO

INSTALLED = bool(os.environ.get("WERUN_TEST_INSTALLED"))
PYPROJECT = (HERE / "pyproject.toml").read_text(encoding="utf-8")
README = (HERE / "README.md").read_text(encoding="utf-8")


def crate_version() -> str:
    """Cargo.toml's [package] version, spelled as PEP 440 (as setup.py does)."""
    text = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    version = re.search(r'^version\s*=\s*"([^"]+)"', package.group(1), re.M).group(1)
    release, pre, number = re.fullmatch(
        r"(\d+\.\d+\.\d+)(?:-(alpha|beta|rc)\.?(\d+))?", version).groups()
    return release + ({"alpha": "a", "beta": "b", "rc": "rc"}[pre] + number if pre else "")


def pyproject_list(key: str) -> list[str]:
    body = re.search(r"^%s = \[(.*?)^\]" % key, PYPROJECT, re.M | re.S)
    assert body, key
    return re.findall(r'"([^"]+)"', body.group(1))


def classifier_pythons(classifiers: list[str]) -> list[tuple[int, int]]:
    return [tuple(map(int, m.groups())) for c in classifiers
            if (m := re.fullmatch(r"Programming Language :: Python :: (\d+)\.(\d+)", c))]


# --- one version ----------------------------------------------------------------------------


def test_the_package_version_is_the_crates():
    assert werun.__version__ == crate_version()


def test_the_library_is_the_same_release():
    # werun_version() is the crate's CARGO_PKG_VERSION (semver spelling).
    assert werun.LIBRARY_VERSION.replace("-alpha.", "a").replace("-beta.", "b").replace(
        "-rc.", "rc") == werun.__version__


def test_the_readmes_file_names_carry_this_version():
    named = set(re.findall(r"werun-(\d[^-\s`]*?)(?:-py3|\.tar\.gz)", README))
    assert named == {werun.__version__}, named


def test_the_readme_names_the_crates_minimum_rust():
    text = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    rust = re.search(r'^rust-version\s*=\s*"([^"]+)"', text, re.M).group(1)
    assert set(re.findall(r"Rust >= (\d+\.\d+)", README)) == {rust}


# --- supported Pythons: pyproject, classifiers and README agree ------------------------------


def test_requires_python_classifiers_and_readme_name_the_same_versions():
    pythons = classifier_pythons(pyproject_list("classifiers"))
    assert pythons, "no 'Programming Language :: Python :: 3.x' classifiers"
    assert pythons == [(3, minor) for minor in range(pythons[0][1], pythons[-1][1] + 1)]
    requires = re.search(r'^requires-python = "([^"]+)"', PYPROJECT, re.M).group(1)
    assert requires == ">=%d.%d" % pythons[0]
    stated = re.search(r"^Python (\d+)\.(\d+) to (\d+)\.(\d+) \(CPython\)", README, re.M)
    assert stated, "README.md does not say 'Python 3.x to 3.y (CPython)'"
    first_minor, last_minor = int(stated.group(2)), int(stated.group(4))
    assert [(3, first_minor), (3, last_minor)] == [pythons[0], pythons[-1]]


def test_this_python_is_a_supported_one():
    assert sys.version_info[:2] in classifier_pythons(pyproject_list("classifiers")), (
        "tested on a Python the classifiers, requires-python and README.md do not list")


# --- str() of the enums ---------------------------------------------------------------------


@pytest.mark.parametrize("enum", [werun.Status, werun.Diagnosis])
def test_str_and_format_of_an_enum_are_its_name(enum):
    for member in enum:
        assert str(member) == member.name
        assert f"{member}" == "{}".format(member) == "%s" % member == member.name
        assert f"{member:>24}" == f"{member.name:>24}"
        assert f"{member:d}" == "%d" % member == str(int(member)) == str(member.value)
        assert repr(member) == f"<{enum.__name__}.{member.name}: {member.value}>"
    assert werun.Status.DECRYPT_FAILED == 7 and isinstance(werun.Status.DECRYPT_FAILED, int)


def test_an_errors_status_prints_its_name():
    with pytest.raises(werun.CiphertextLength) as caught:
        werun.decrypt_steps("AAAAAAAAAAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAAAAAAAAA==", "",
                            appid="wx4f4bc4dec97d474b")
    assert f"{caught.value.status}" == "CIPHERTEXT_LENGTH"


# --- the library -----------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("nm"), reason="no nm")
def test_the_library_exports_exactly_the_c_abi():
    from werun import _ffi

    out = subprocess.run(["nm", "-D", "--defined-only", werun.LIBRARY_PATH],
                         capture_output=True, text=True, check=True).stdout
    exported = {line.split()[-1] for line in out.splitlines() if line.strip()}
    assert exported == set(_ffi.FUNCTIONS), exported ^ set(_ffi.FUNCTIONS)


# --- the installed distribution (a wheel, by run-tests.sh) ------------------------------------

installed_only = pytest.mark.skipif(not INSTALLED, reason="tests an installed distribution")


@installed_only
def test_installed_metadata():
    from importlib import metadata

    dist = metadata.distribution("werun")
    meta = dist.metadata
    assert meta["Name"] == "werun"
    assert meta["Version"] == werun.__version__ == crate_version()
    assert meta["License-Expression"] == "MIT OR Apache-2.0"
    assert sorted(meta.get_all("License-File")) == ["LICENSE-APACHE", "LICENSE-MIT"]
    assert meta["Requires-Python"] == re.search(
        r'^requires-python = "([^"]+)"', PYPROJECT, re.M).group(1)
    assert meta.get_all("Classifier") == pyproject_list("classifiers")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert set(urls) >= {"Homepage", "Source", "Issues", "Documentation"}
    assert meta["Description-Content-Type"] == "text/markdown"
    assert "# werun for Python" in meta.get_payload()  # README.md is the long description


@installed_only
def test_installed_files():
    from importlib import metadata

    dist = metadata.distribution("werun")
    files = {str(f) for f in dist.files}
    assert {"werun/__init__.py", "werun/py.typed", "werun/libwerun.so"} <= files
    licences = {f for f in files if f.endswith(("LICENSE-MIT", "LICENSE-APACHE"))}
    assert len(licences) == 2, files
    for name in licences:
        text = Path(dist.locate_file(name)).read_text(encoding="utf-8")
        assert text == (REPO / Path(name).name).read_text(encoding="utf-8")
    package = Path(werun.__file__).resolve().parent
    assert Path(werun.LIBRARY_PATH).resolve() == package / "libwerun.so"
    wheel = dist.read_text("WHEEL")
    tags = re.findall(r"^Tag: (\S+)$", wheel, re.M)
    assert tags and all(t.startswith("py3-none-") for t in tags), wheel
    if os.environ.get("WERUN_TEST_WHEEL_TAG"):
        assert os.environ["WERUN_TEST_WHEEL_TAG"] in tags, wheel
