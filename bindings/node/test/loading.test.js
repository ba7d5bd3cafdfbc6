'use strict';
// Finding and loading the library: WERUN_LIBRARY, the package folder, an optional
// per-platform package, the checkout; and the errors that say how to fix each failure.
// Each case runs in a child process (the library is loaded once per process).

const test = require('node:test');
const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ffi = require('../lib/ffi');
const { PACKAGE_DIR, REPO_DIR } = require('./helpers');

const BUILT = path.join(REPO_DIR, 'target', 'release', ffi.LIBRARY_NAME);
const KOFFI_DIR = path.dirname(require.resolve('koffi')); // its index.cjs is at its root

/** Runs `code` in a child node process in `cwd` with `env` changes; WERUN_LIBRARY unset. */
function node(code, { env = {}, cwd = os.tmpdir(), esm = false } = {}) {
  const childEnv = { ...process.env };
  delete childEnv.WERUN_LIBRARY;
  Object.assign(childEnv, env);
  const args = esm ? ['--input-type=module', '-e', code] : ['-e', code];
  return childProcess.spawnSync(process.execPath, args, { cwd, env: childEnv, encoding: 'utf8' });
}

const PRINT_PATH = `console.log(require(${JSON.stringify(PACKAGE_DIR)}).libraryPath)`;

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'werun-node-loading-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the package as npm installs it: <dir>/node_modules/werun, koffi beside it. */
function installCopy(dir, { koffi = true } = {}) {
  const target = path.join(dir, 'node_modules', 'werun');
  fs.mkdirSync(target, { recursive: true });
  for (const name of ['package.json', 'index.js', 'index.mjs', 'lib']) {
    fs.cpSync(path.join(PACKAGE_DIR, name), path.join(target, name), { recursive: true });
  }
  if (koffi) fs.symlinkSync(KOFFI_DIR, path.join(dir, 'node_modules', 'koffi'), 'dir');
  return target;
}

function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang']) {
    if (cc && childProcess.spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0) {
      return cc;
    }
  }
  return null;
}
const CC = findCompiler();

/** A shared library with every werun_* function; werun_abi_version() returns `abi`. */
function stubLibrary(dir, abi, names = Object.keys(ffi.FUNCTIONS)) {
  const lines = names.filter((n) => n !== 'werun_abi_version')
    .map((n) => `int ${n}(void) { return 0; }`);
  if (names.includes('werun_abi_version')) {
    lines.push(`unsigned werun_abi_version(void) { return ${abi}; }`);
  }
  const source = path.join(dir, 'stub.c');
  const library = path.join(dir, `stub-${abi}-${names.length}.so`);
  fs.writeFileSync(source, `${lines.join('\n')}\n`);
  childProcess.execFileSync(CC, ['-shared', '-fPIC', source, '-o', library]);
  return library;
}

test('WERUN_LIBRARY is used when set', () => {
  const r = node(PRINT_PATH, { env: { WERUN_LIBRARY: BUILT } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), BUILT);
});

test('a missing WERUN_LIBRARY says how to fix it, with no fallback', () => {
  const r = node(PRINT_PATH, { env: { WERUN_LIBRARY: '/nonexistent/libwerun.so' } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /WerunLoadError: werun: WERUN_LIBRARY="\/nonexistent\/libwerun.so" is not a file; point it at libwerun.so \(built by `make lib` in target\/release\) or unset it/);
  assert.match(r.stderr, /code: 'ERR_WERUN_LOAD'/);
});

test('from the checkout, without WERUN_LIBRARY: target/release', () => {
  const prebuilt = path.join(PACKAGE_DIR, 'prebuilds', ffi.PLATFORM, ffi.LIBRARY_NAME);
  const r = node(PRINT_PATH);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), fs.existsSync(prebuilt) ? prebuilt : BUILT);
});

test('an installed package without its library says how to fix it', (t) => {
  const dir = tempDir(t);
  const target = installCopy(dir);
  const r = node("require('werun')", { cwd: dir });
  assert.notEqual(r.status, 0);
  const where = path.join(target, 'prebuilds', ffi.PLATFORM, ffi.LIBRARY_NAME);
  assert.ok(r.stderr.includes(`werun: cannot find ${ffi.LIBRARY_NAME} for ${ffi.PLATFORM} ` +
    `(looked at: ${where})`), r.stderr);
  assert.match(r.stderr, /reinstall the package \(its tarball carries libwerun.so for linux-x64\), or build the library with `make lib` in the werun repository and set WERUN_LIBRARY=/);
  // The ES module entry point fails the same way.
  const esm = node("import 'werun'", { cwd: dir, esm: true });
  assert.notEqual(esm.status, 0);
  assert.ok(esm.stderr.includes(`werun: cannot find ${ffi.LIBRARY_NAME}`), esm.stderr);
});

test('an installed package finds the library in its folder', (t) => {
  const dir = tempDir(t);
  const target = installCopy(dir);
  const bundled = path.join(target, 'prebuilds', ffi.PLATFORM, ffi.LIBRARY_NAME);
  fs.mkdirSync(path.dirname(bundled), { recursive: true });
  fs.copyFileSync(BUILT, bundled);
  const r = node("console.log(require('werun').libraryPath)", { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), bundled);
  const esm = node("import { libraryPath } from 'werun'; console.log(libraryPath)",
    { cwd: dir, esm: true });
  assert.equal(esm.status, 0, esm.stderr);
  assert.equal(esm.stdout.trim(), bundled);
});

test('an installed package finds the library in an optional per-platform package', (t) => {
  const dir = tempDir(t);
  installCopy(dir);
  const platformPackage = path.join(dir, 'node_modules', ...ffi.PLATFORM_PACKAGE.split('/'));
  fs.mkdirSync(platformPackage, { recursive: true });
  fs.writeFileSync(path.join(platformPackage, 'package.json'),
    JSON.stringify({ name: ffi.PLATFORM_PACKAGE, version: '0.1.0' }));
  fs.copyFileSync(BUILT, path.join(platformPackage, ffi.LIBRARY_NAME));
  const r = node("console.log(require('werun').libraryPath)", { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), path.join(platformPackage, ffi.LIBRARY_NAME));
});

test('without koffi, the error says to reinstall', (t) => {
  const dir = tempDir(t);
  installCopy(dir, { koffi: false });
  const r = node("require('werun')", { cwd: dir, env: { WERUN_LIBRARY: BUILT } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /werun: cannot load koffi, the FFI package werun calls the library with/);
});

test('a file that is not a library is refused', (t) => {
  const dir = tempDir(t);
  const notALibrary = path.join(dir, 'libwerun.so');
  fs.writeFileSync(notALibrary, 'not an ELF file\n');
  const r = node(PRINT_PATH, { env: { WERUN_LIBRARY: notALibrary } });
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.includes(`werun: cannot load ${notALibrary}: `), r.stderr);
  assert.match(r.stderr, /make lib/);
});

test('a library without the werun functions is refused', { skip: !CC && 'no C compiler' },
  (t) => {
    const dir = tempDir(t);
    const library = stubLibrary(dir, 1, ['werun_abi_version', 'werun_version']);
    const r = node(PRINT_PATH, { env: { WERUN_LIBRARY: library } });
    assert.notEqual(r.status, 0);
    assert.ok(r.stderr.includes(`werun: ${library} has no function werun_decrypt_steps`),
      r.stderr);
    assert.match(r.stderr, /it is not libwerun, or it is too old/);
  });

test('a library with another ABI version is refused, saying how to fix it',
  { skip: !CC && 'no C compiler' }, (t) => {
    const dir = tempDir(t);
    const library = stubLibrary(dir, ffi.WERUN_ABI_VERSION + 1);
    const r = node(PRINT_PATH, { env: { WERUN_LIBRARY: library } });
    assert.notEqual(r.status, 0);
    assert.ok(r.stderr.includes(`werun: ${library} has ABI version ${ffi.WERUN_ABI_VERSION + 1} ` +
      `but this binding needs ${ffi.WERUN_ABI_VERSION}; install a matching pair (the same ` +
      'werun release)'), r.stderr);
    assert.match(r.stderr, /make lib/);
  });

test('the ABI check itself', () => {
  assert.doesNotThrow(() => ffi.checkAbi(ffi.WERUN_ABI_VERSION, 'x.so'));
  assert.throws(() => ffi.checkAbi(ffi.WERUN_ABI_VERSION + 1, 'x.so'),
    (e) => e.code === 'ERR_WERUN_LOAD' && /x\.so has ABI version 2 but this binding needs 1/
      .test(e.message));
});

test('the candidates, in order', () => {
  assert.deepEqual(ffi.candidates({ WERUN_LIBRARY: 'relative/libwerun.so' }),
    [path.resolve('relative/libwerun.so')]);
  const found = ffi.candidates({});
  assert.equal(found[0], path.join(PACKAGE_DIR, 'prebuilds', ffi.PLATFORM, ffi.LIBRARY_NAME));
  assert.equal(found[found.length - 1], BUILT);
});
