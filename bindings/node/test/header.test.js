'use strict';
// The binding against include/werun.h, the source of truth: constants, the function table,
// struct layouts (from a C compiler), and the library's exported symbols.

const test = require('node:test');
const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ffi = require('../lib/ffi');
const werun = require('..');
const { HEADER_FILE } = require('./helpers');

const header = fs.readFileSync(HEADER_FILE, 'utf8');
// Without comments and preprocessor lines.
const code = header.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  .replace(/^\s*#.*$/gm, '');

function defines(prefix) {
  const found = {};
  for (const m of header.matchAll(new RegExp(`^#define (${prefix}\\w*) (\\d+)$`, 'gm'))) {
    found[m[1]] = Number(m[2]);
  }
  return found;
}

test('defines equal the header', () => {
  assert.equal(defines('WERUN_ABI_VERSION').WERUN_ABI_VERSION, ffi.WERUN_ABI_VERSION);
  assert.equal(defines('WERUN_DEFAULT_CAPACITY').WERUN_DEFAULT_CAPACITY,
    ffi.WERUN_DEFAULT_CAPACITY);
  assert.equal(defines('WERUN_MAX_CANDIDATE_KEYS').WERUN_MAX_CANDIDATE_KEYS,
    ffi.WERUN_MAX_CANDIDATE_KEYS);
});

test('option flags equal the header (a flag the binding does not know fails)', () => {
  assert.deepEqual(defines('WERUN_OPTION_'), {
    WERUN_OPTION_SKIP_APPID_CHECK: ffi.WERUN_OPTION_SKIP_APPID_CHECK,
    WERUN_OPTION_STRICT_BASE64: ffi.WERUN_OPTION_STRICT_BASE64,
    WERUN_OPTION_CHECK_FRESHNESS: ffi.WERUN_OPTION_CHECK_FRESHNESS,
  });
});

test('diagnosis values equal the header', () => {
  const expected = Object.fromEntries(ffi.DIAGNOSIS_NAMES.map((n, v) => [`WERUN_DIAGNOSIS_${n}`, v]));
  assert.deepEqual(defines('WERUN_DIAGNOSIS_'), expected);
  assert.deepEqual(Object.keys(werun.Diagnosis), [...ffi.DIAGNOSIS_NAMES]);
});

test('status values equal the header', () => {
  const found = {};
  for (const m of code.matchAll(/\b(WERUN_STATUS_\w+) = (\d+),/g)) found[m[1]] = Number(m[2]);
  const expected = Object.fromEntries(ffi.STATUS_NAMES.map((n, v) => [`WERUN_STATUS_${n}`, v]));
  assert.deepEqual(found, expected);
});

/** The header's functions: name -> { returns, params: [[type, name], ...] }. */
function headerFunctions() {
  const found = {};
  const re = /^([a-z_][\w ]*?\s*\*?)\s*(werun_\w+)\(([^)]*)\);/gm;
  for (const m of code.matchAll(re)) {
    const params = m[3].trim() === 'void' ? [] : m[3].split(',').map((p) => {
      const pm = /^(.*?)(\w+)$/.exec(p.replace(/\s+/g, ' ').trim());
      return [pm[1].trim(), pm[2]];
    });
    found[m[2]] = { returns: m[1].trim(), params };
  }
  return found;
}

/** The koffi type the binding must use for a header type. */
function koffiType(type) {
  const t = type.replace(/\s*\*/g, ' *').trim();
  const table = {
    werun_status: 'uint32_t',
    uint32_t: 'uint32_t',
    size_t: 'size_t',
    'const char *': 'const char *',
    'const uint8_t *': 'const char *',
    'uint8_t *': 'void *',
    'uint32_t *': 'void *',
    'const struct werun_options *': 'const void *',
    'const struct werun_bytes *': 'const void *',
    'size_t *': 'void *',
    int32_t: 'int32_t',
    'struct werun_step *': 'void *',
    'struct werun_summary *': 'void *',
    'struct werun_open_data_result *': 'void *',
  };
  assert.ok(t in table, `no koffi type for the header's ${JSON.stringify(t)}`);
  return table[t];
}

// The binding declares the functions it calls (or may call): each must be in the header with
// the same signature. Functions the header adds later are not loaded, so they cannot break the
// binding; the next test lists them.
test('every function in the table is the header\'s, with the header\'s signature', () => {
  const fromHeader = headerFunctions();
  assert.ok(Object.keys(fromHeader).length >= 10);
  for (const name of Object.keys(ffi.FUNCTIONS)) assert.ok(name in fromHeader, name);
  for (const name of Object.keys(ffi.FUNCTIONS)) {
    const { returns, params } = fromHeader[name];
    const expected = `${koffiType(returns)} ${name}(` +
      (params.length === 0 ? 'void' : params.map(([t, n]) => `${koffiType(t)} ${n}`).join(', ')) +
      ')';
    const actual = ffi.FUNCTIONS[name].replace(/\s+/g, ' ').replace(/ \*/g, ' *');
    assert.equal(actual.replace(/\* /g, '*'), expected.replace(/\* /g, '*'), name);
  }
});

test('the header functions the binding does not declare are known', (t) => {
  const missing = Object.keys(headerFunctions()).filter((n) => !(n in ffi.FUNCTIONS));
  // Every function of ABI version 1's first release is declared; later additions are listed
  // here (not a failure: the binding does not use them yet).
  if (missing.length > 0) t.diagnostic(`not in the Node binding yet: ${missing.join(', ')}`);
  assert.ok(missing.every((n) => !['werun_decrypt_steps', 'werun_open_data', 'werun_diagnose',
    'werun_status_str', 'werun_diagnosis_str', 'werun_scratch_len', 'werun_abi_version',
    'werun_version'].includes(n)));
});

test('struct fields follow the header', () => {
  for (const [struct, layout] of Object.entries(ffi.LAYOUT)) {
    const m = new RegExp(`typedef struct ${struct} \\{([^}]*)\\}`).exec(code);
    assert.ok(m, struct);
    const fields = [...m[1].matchAll(/(\w+);/g)].map((f) => f[1]);
    assert.deepEqual(fields, Object.keys(layout).filter((k) => k !== 'size'), struct);
  }
});

function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang']) {
    if (!cc) continue;
    const r = childProcess.spawnSync(cc, ['--version'], { stdio: 'ignore' });
    if (r.status === 0) return cc;
  }
  return null;
}

test('struct layouts equal the C compiler\'s', { skip: !findCompiler() && 'no C compiler' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werun-node-layout-'));
  try {
    const lines = ['#include <stdio.h>', '#include <stddef.h>', '#include "werun.h"',
      'int main(void) {'];
    for (const [struct, layout] of Object.entries(ffi.LAYOUT)) {
      lines.push(`  printf("${struct} size %zu\\n", sizeof(struct ${struct}));`);
      for (const field of Object.keys(layout)) {
        if (field === 'size') continue;
        lines.push(`  printf("${struct} ${field} %zu\\n", offsetof(struct ${struct}, ${field}));`);
      }
    }
    lines.push('  return 0;', '}');
    fs.writeFileSync(path.join(dir, 'layout.c'), lines.join('\n'));
    const exe = path.join(dir, 'layout');
    childProcess.execFileSync(findCompiler(), ['-std=c11', '-I', path.dirname(HEADER_FILE),
      path.join(dir, 'layout.c'), '-o', exe]);
    const fromC = {};
    for (const line of childProcess.execFileSync(exe, { encoding: 'utf8' }).trim().split('\n')) {
      const [struct, field, value] = line.split(' ');
      (fromC[struct] = fromC[struct] || {})[field] = Number(value);
    }
    assert.deepEqual(fromC, JSON.parse(JSON.stringify(ffi.LAYOUT)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the library exports every function in the table', () => {
  // open() declares each one and fails the load when a symbol is missing: loading worked.
  assert.equal(typeof ffi.fns.werun_decrypt_steps, 'function');
  assert.equal(Object.keys(ffi.fns).length, Object.keys(ffi.FUNCTIONS).length);
  assert.equal(ffi.fns.werun_abi_version(), ffi.WERUN_ABI_VERSION);
});
