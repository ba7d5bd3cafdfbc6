"""The binding's copy of the C ABI equals include/werun.h: constants, enum values, functions,
and (when a C compiler is here) the struct layouts."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess

import pytest

import werun
from werun import _ffi

from conftest import HEADER_PATH, REPO

HEADER = HEADER_PATH.read_text(encoding="utf-8")


def header_defines() -> dict[str, int]:
    return {m[1]: int(m[2]) for m in re.finditer(r"^#define (WERUN_\w+) (\d+)\s*$", HEADER, re.M)}


def header_enum(name: str) -> dict[str, int]:
    body = re.search(r"enum %s\b[^{]*\{(.*?)\};" % name, HEADER, re.S)
    assert body, f"enum {name} not found in werun.h"
    return {m[1]: int(m[2]) for m in re.finditer(r"^\s*(WERUN_\w+) = (\d+),", body[1], re.M)}


def header_functions() -> set[str]:
    return set(re.findall(r"^[\w ]+?\*?\s*(werun_\w+)\(", HEADER, re.M))


def test_defines_equal_the_header():
    defines = header_defines()
    assert "WERUN_ABI_VERSION" in defines and len(defines) >= 10
    for name, value in defines.items():
        assert getattr(_ffi, name) == value, name
    assert werun.MAX_CANDIDATE_KEYS == defines["WERUN_MAX_CANDIDATE_KEYS"]


def test_status_values_equal_the_header():
    statuses = header_enum("werun_status")
    assert len(statuses) == 13
    for name, value in statuses.items():
        assert getattr(_ffi, name) == value, name
        assert werun.Status[name.removeprefix("WERUN_STATUS_")] == value
    assert len(werun.Status) == len(statuses)


def test_diagnosis_values_equal_the_header():
    diagnoses = {k: v for k, v in header_defines().items() if k.startswith("WERUN_DIAGNOSIS_")}
    assert len(werun.Diagnosis) == len(diagnoses)
    for name, value in diagnoses.items():
        assert werun.Diagnosis[name.removeprefix("WERUN_DIAGNOSIS_")] == value


def test_every_header_function_is_in_the_table():
    assert header_functions() == set(_ffi.FUNCTIONS)


# How each C type of the header is passed through ctypes (the binding's conventions: input text
# as c_char_p, buffers the library writes as c_void_p, the options struct by pointer).
C_TO_CTYPES = {
    "const uint8_t *": ctypes.c_char_p,
    "uint8_t *": ctypes.c_void_p,
    "struct werun_step *": ctypes.c_void_p,
    "struct werun_summary *": ctypes.c_void_p,
    "struct werun_open_data_result *": ctypes.c_void_p,
    "uint32_t *": ctypes.c_void_p,
    "size_t *": ctypes.c_void_p,
    "const struct werun_bytes *": ctypes.POINTER(_ffi.werun_bytes),
    "const struct werun_options *": ctypes.POINTER(_ffi.werun_options),
    "size_t": ctypes.c_size_t,
    "uint32_t": ctypes.c_uint32,
    "int32_t": ctypes.c_int32,
    "werun_status": ctypes.c_uint32,
    "const char *": ctypes.c_char_p,
}


def header_prototypes() -> dict[str, tuple[str, list[str]]]:
    """name: (return type, [parameter types]) from the header's declarations."""
    found = {}
    for m in re.finditer(r"^([\w ]+?\*?)\s*(werun_\w+)\(([^)]*)\);", HEADER, re.M):
        params = [] if m[3].strip() == "void" else [
            re.sub(r"\s+", " ", re.sub(r"\s*\w+$", "", p.strip())).replace(" *", " *")
            for p in m[3].split(",")]
        found[m[2]] = (m[1].strip(), params)
    return found


def test_loaded_functions_have_the_headers_signatures():
    prototypes = header_prototypes()
    assert set(prototypes) == header_functions() and len(prototypes) >= 10
    for name, (ret, params) in prototypes.items():
        fn = getattr(_ffi.lib, name)
        assert fn.restype is C_TO_CTYPES[ret], name
        assert list(fn.argtypes) == [C_TO_CTYPES[p] for p in params], name


STRUCTS = (_ffi.werun_options, _ffi.werun_step, _ffi.werun_summary, _ffi.werun_bytes,
           _ffi.werun_open_data_result)


def test_every_header_struct_is_bound():
    assert set(re.findall(r"^typedef struct (werun_\w+) \{", HEADER, re.M)) == \
        {s.__name__ for s in STRUCTS}
    assert set(_ffi._LP64_LAYOUT) == set(STRUCTS)


def test_struct_fields_follow_the_header():
    for struct in STRUCTS:
        body = re.search(r"typedef struct %s \{(.*?)\}" % struct.__name__, HEADER, re.S)
        assert body, struct.__name__
        fields = re.findall(r"^\s*(?:const )?\w+ \*?(\w+);", body[1], re.M)
        assert fields == [name for name, _ in struct._fields_], struct.__name__


@pytest.mark.skipif(not shutil.which("cc"), reason="no C compiler")
def test_struct_layouts_equal_the_c_compilers(tmp_path):
    structs = {s.__name__: s for s in STRUCTS}
    lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "werun.h"',
             "int main(void) {"]
    for name, struct in structs.items():
        lines.append(f'printf("{name} size %zu\\n", sizeof(struct {name}));')
        for field, _ in struct._fields_:
            lines.append(f'printf("{name} {field} %zu\\n", offsetof(struct {name}, {field}));')
    lines += ["return 0;", "}"]
    (tmp_path / "layout.c").write_text("\n".join(lines))
    subprocess.run(["cc", "-std=c11", f"-I{REPO / 'include'}", "layout.c", "-o", "layout"],
                   cwd=tmp_path, check=True)
    out = subprocess.run([str(tmp_path / "layout")], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        name, what, value = line.split()
        struct = structs[name]
        got = ctypes.sizeof(struct) if what == "size" else getattr(struct, what).offset
        assert got == int(value), line


def test_layout_check_at_import_passes():
    _ffi.check_layout()
