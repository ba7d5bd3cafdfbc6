'use strict';
// The C ABI of libwerun, loaded with koffi: constants, struct layouts, the function table, and
// finding, loading and checking the library. Nothing here is public API.
//
// The constants are copied from include/werun.h (the header is the source of truth;
// test/header.test.js fails when they drift apart). The library is looked for, in order:
//
//   1. the path in the WERUN_LIBRARY environment variable (nothing else when it is set);
//   2. the package folder: prebuilds/<platform>-<arch>/ (what `npm pack` bundles);
//   3. an optional per-platform package, @werun/lib-<platform>-<arch> (none is published
//      yet: README.md, "Other platforms");
//   4. target/release/ of the checkout, when the package is used from bindings/node (after
//      `make lib`).
//
// At load, the library's werun_abi_version() must equal WERUN_ABI_VERSION, or loading fails
// with an error that says how to fix it.

const fs = require('fs');
const path = require('path');

const WERUN_ABI_VERSION = 1;
const WERUN_DEFAULT_CAPACITY = 32;

const WERUN_OPTION_SKIP_APPID_CHECK = 1;
const WERUN_OPTION_STRICT_BASE64 = 2;
const WERUN_OPTION_CHECK_FRESHNESS = 4;

const WERUN_MAX_CANDIDATE_KEYS = 4;

// werun_status values, in order (index = value). Never renumbered.
const STATUS_NAMES = Object.freeze([
  'OK',
  'NULL_ARGUMENT',
  'SESSION_KEY_INVALID',
  'IV_INVALID',
  'ENCRYPTED_DATA_INVALID',
  'CIPHERTEXT_LENGTH',
  'BUFFER_TOO_SMALL',
  'DECRYPT_FAILED',
  'APPID_MISMATCH',
  'WATERMARK_EXPIRED',
  'CAPACITY_EXCEEDED',
  'INTERNAL',
  'INVALID_ARGUMENT',
]);

// werun_diagnosis values (WERUN_DIAGNOSIS_*), index = value.
const DIAGNOSIS_NAMES = Object.freeze([
  'WERUN_DATA',
  'NOT_WERUN_DATA',
  'SESSION_KEY_MISMATCH',
  'IV_MISMATCH',
  'GARBLED',
  'TRUNCATED',
]);

// Struct layouts on LP64 (every 64-bit platform werun is built for but Windows, which is
// LLP64 with the same sizes for these fields): size and field offsets, as a C compiler lays
// them out (test/header.test.js compiles a C program to check).
const LAYOUT = Object.freeze({
  werun_options: { size: 40, appid: 0, appid_len: 8, flags: 16, now: 24, max_age: 32 },
  werun_step: { size: 16, timestamp: 0, step: 8 },
  werun_summary: { size: 24, count: 0, watermark_timestamp: 8, has_watermark: 16 },
  werun_open_data_result: { size: 24, json_len: 0, watermark_timestamp: 8, has_watermark: 16 },
  werun_bytes: { size: 16, ptr: 0, len: 8 },
});

// The functions, as koffi prototypes. Text inputs are `const char *`: koffi passes a JS string
// as its UTF-8 bytes and a Buffer or Uint8Array as a pointer to its memory, without a copy.
// Buffers the library writes, and the options struct (memory from koffi.alloc), are `void *`.
const FUNCTIONS = Object.freeze({
  werun_decrypt_steps:
    'uint32_t werun_decrypt_steps(const char *session_key, size_t session_key_len, ' +
    'const char *iv, size_t iv_len, const char *encrypted_data, size_t encrypted_data_len, ' +
    'const void *options, void *scratch, size_t scratch_len, ' +
    'void *out_steps, size_t steps_capacity, void *out_summary)',
  werun_decrypt_steps_with_keys:
    'uint32_t werun_decrypt_steps_with_keys(const void *session_keys, ' +
    'size_t session_key_count, const char *iv, size_t iv_len, const char *encrypted_data, ' +
    'size_t encrypted_data_len, const void *options, void *scratch, size_t scratch_len, ' +
    'void *out_steps, size_t steps_capacity, void *out_summary, void *out_key_index)',
  werun_scratch_len_with_keys:
    'size_t werun_scratch_len_with_keys(size_t encrypted_data_len)',
  werun_decrypt_steps_in_place:
    'uint32_t werun_decrypt_steps_in_place(const char *session_key, size_t session_key_len, ' +
    'const char *iv, size_t iv_len, void *encrypted_data, size_t encrypted_data_len, ' +
    'const void *options, void *out_steps, size_t steps_capacity, void *out_summary)',
  werun_open_data:
    'uint32_t werun_open_data(const char *session_key, size_t session_key_len, ' +
    'const char *iv, size_t iv_len, const char *encrypted_data, size_t encrypted_data_len, ' +
    'const void *options, void *scratch, size_t scratch_len, void *out_result)',
  werun_open_data_in_place:
    'uint32_t werun_open_data_in_place(const char *session_key, size_t session_key_len, ' +
    'const char *iv, size_t iv_len, void *encrypted_data, size_t encrypted_data_len, ' +
    'const void *options, void *out_result)',
  werun_diagnose:
    'uint32_t werun_diagnose(const char *session_key, size_t session_key_len, ' +
    'const char *iv, size_t iv_len, const char *encrypted_data, size_t encrypted_data_len, ' +
    'uint32_t flags, void *scratch, size_t scratch_len, void *out_diagnosis)',
  werun_status_wx_code: 'int32_t werun_status_wx_code(uint32_t status)',
  werun_status_str: 'const char *werun_status_str(uint32_t status)',
  werun_diagnosis_str: 'const char *werun_diagnosis_str(uint32_t diagnosis)',
  werun_scratch_len: 'size_t werun_scratch_len(size_t encrypted_data_len)',
  werun_abi_version: 'uint32_t werun_abi_version(void)',
  werun_version: 'const char *werun_version(void)',
});

// --- finding the library ----------------------------------------------------------------------

const LIBRARY_NAME =
  process.platform === 'darwin' ? 'libwerun.dylib'
    : process.platform === 'win32' ? 'werun.dll' : 'libwerun.so';
const PLATFORM = `${process.platform}-${process.arch}`;
const PACKAGE_DIR = path.resolve(__dirname, '..');
// bindings/node -> the repository root, when used from a checkout.
const REPO_DIR = path.resolve(PACKAGE_DIR, '..', '..');
const PLATFORM_PACKAGE = `@werun/lib-${PLATFORM}`;

// The platforms whose library `npm pack` bundles (scripts/bundle-library.js).
const BUNDLED_PLATFORMS = Object.freeze(['linux-x64']);

const HOW_TO_FIX =
  (BUNDLED_PLATFORMS.includes(PLATFORM)
    ? `reinstall the package (its tarball carries ${LIBRARY_NAME} for ${PLATFORM})`
    : `no library is bundled for ${PLATFORM}: install ${PLATFORM_PACKAGE} where it exists`) +
  ', or build the library with `make lib` in the werun repository and set ' +
  `WERUN_LIBRARY=/path/to/target/release/${LIBRARY_NAME}`;

class LoadError extends Error {
  constructor(message) {
    super(`werun: ${message}`);
    this.name = 'WerunLoadError';
    this.code = 'ERR_WERUN_LOAD';
  }
}

function platformPackageLibrary() {
  try {
    return require.resolve(`${PLATFORM_PACKAGE}/${LIBRARY_NAME}`, { paths: [PACKAGE_DIR] });
  } catch {
    return null;
  }
}

/** The paths tried, in order (only WERUN_LIBRARY's when it is set). */
function candidates(env = process.env) {
  if (env.WERUN_LIBRARY) return [path.resolve(env.WERUN_LIBRARY)];
  const found = [path.join(PACKAGE_DIR, 'prebuilds', PLATFORM, LIBRARY_NAME)];
  const fromPackage = platformPackageLibrary();
  if (fromPackage) found.push(fromPackage);
  if (fs.existsSync(path.join(REPO_DIR, 'Cargo.toml'))) {
    found.push(path.join(REPO_DIR, 'target', 'release', LIBRARY_NAME));
  }
  return found;
}

function findLibrary(env = process.env) {
  const tried = candidates(env);
  for (const file of tried) {
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  if (env.WERUN_LIBRARY) {
    throw new LoadError(
      `WERUN_LIBRARY=${JSON.stringify(env.WERUN_LIBRARY)} is not a file; point it at ` +
      `${LIBRARY_NAME} (built by \`make lib\` in target/release) or unset it to use the ` +
      'library bundled with the package');
  }
  throw new LoadError(
    `cannot find ${LIBRARY_NAME} for ${PLATFORM} (looked at: ${tried.join(', ')}); ${HOW_TO_FIX}`);
}

// --- loading and checking it ------------------------------------------------------------------

function loadKoffi() {
  try {
    return require('koffi');
  } catch (e) {
    throw new LoadError(
      `cannot load koffi, the FFI package werun calls the library with (${e.message}); ` +
      'reinstall the werun package with npm so that its dependency koffi is installed');
  }
}

/**
 * Loads the library at `file`, declares the function table and checks the ABI version.
 * Returns { koffi, handle, fns }.
 */
function open(file) {
  const koffi = loadKoffi();
  let handle;
  try {
    handle = koffi.load(file);
  } catch (e) {
    throw new LoadError(`cannot load ${file}: ${e.message}; ${HOW_TO_FIX}`);
  }
  const fns = {};
  for (const [name, prototype] of Object.entries(FUNCTIONS)) {
    try {
      fns[name] = handle.func(prototype);
    } catch (e) {
      throw new LoadError(
        `${file} has no function ${name} (${e.message}): it is not libwerun, or it is too ` +
        `old; ${HOW_TO_FIX}`);
    }
  }
  checkAbi(fns.werun_abi_version(), file);
  return { koffi, handle, fns };
}

function checkAbi(got, file) {
  if (got !== WERUN_ABI_VERSION) {
    throw new LoadError(
      `${file} has ABI version ${got} but this binding needs ${WERUN_ABI_VERSION}; install a ` +
      `matching pair (the same werun release): ${HOW_TO_FIX}`);
  }
}

const libraryPath = findLibrary();
const { koffi, fns } = open(libraryPath);

module.exports = {
  WERUN_ABI_VERSION,
  WERUN_DEFAULT_CAPACITY,
  WERUN_OPTION_SKIP_APPID_CHECK,
  WERUN_OPTION_STRICT_BASE64,
  WERUN_OPTION_CHECK_FRESHNESS,
  WERUN_MAX_CANDIDATE_KEYS,
  STATUS_NAMES,
  DIAGNOSIS_NAMES,
  LAYOUT,
  FUNCTIONS,
  LIBRARY_NAME,
  PLATFORM,
  PLATFORM_PACKAGE,
  BUNDLED_PLATFORMS,
  LoadError,
  candidates,
  checkAbi,
  koffi,
  fns,
  libraryPath,
};
