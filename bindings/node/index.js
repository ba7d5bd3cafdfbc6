'use strict';
// werun: decrypts WeChat WeRun (wx.getWeRunData) step data, over libwerun's C ABI (koffi).
//
//   const werun = require('werun');
//   const { steps, watermarkTimestamp } =
//     werun.decryptSteps(sessionKey, iv, encryptedData, { appid: 'wx4f4bc4dec97d474b' });
//
// Everything (base64, AES-128-CBC, PKCS#7, JSON, appid and freshness checks) happens in the
// library; this file checks the arguments, passes them through and builds the result objects.
// Every call is synchronous: it takes about a microsecond (README.md, "Why synchronous").

const ffi = require('./lib/ffi');
const errors = require('./lib/errors');

const { koffi, fns, LAYOUT } = ffi;
const { errorFor } = errors;
const decryptStepsC = fns.werun_decrypt_steps;
const openDataC = fns.werun_open_data;
const diagnoseC = fns.werun_diagnose;
const scratchLenC = fns.werun_scratch_len;
const decryptStepsWithKeysC = fns.werun_decrypt_steps_with_keys;
const scratchLenWithKeysC = fns.werun_scratch_len_with_keys;

const DEFAULT_CAPACITY = ffi.WERUN_DEFAULT_CAPACITY;
const SKIP_APPID = ffi.WERUN_OPTION_SKIP_APPID_CHECK;
const STRICT = ffi.WERUN_OPTION_STRICT_BASE64;
const FRESHNESS = ffi.WERUN_OPTION_CHECK_FRESHNESS;
const CAPACITY_EXCEEDED = errors.Status.CAPACITY_EXCEEDED;
const MAX_CANDIDATE_KEYS = ffi.WERUN_MAX_CANDIDATE_KEYS;
const BYTES_SIZE = LAYOUT.werun_bytes.size;
const OPTIONS_SIZE = LAYOUT.werun_options.size;
const STEP_SIZE = LAYOUT.werun_step.size;
const TWO_32 = 4294967296;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;
const byteLength = Buffer.byteLength;

if (LAYOUT.werun_step.timestamp !== 0 || LAYOUT.werun_step.step !== 8 || STEP_SIZE !== 16 ||
    LAYOUT.werun_summary.size !== 24 || LAYOUT.werun_open_data_result.size !== 24 ||
    OPTIONS_SIZE !== 40 || !new Uint8Array(new Uint16Array([1]).buffer)[0]) {
  // The readers below assume this layout (LP64 or LLP64) and a little-endian machine.
  throw new ffi.LoadError('this platform lays out the C structs differently than the binding ' +
    'reads them (it needs a little-endian 64-bit platform)');
}

// --- buffers, reused from call to call ---------------------------------------------------------
//
// Each module instance (one per thread: worker_threads load their own) owns these. The library
// wipes the scratch before it returns and zeroes the steps on failure; a call reads its
// outputs before it returns, and JavaScript cannot run another call in between.

const steps = new ArrayBuffer(DEFAULT_CAPACITY * STEP_SIZE);
const stepsU32 = new Uint32Array(steps);
const stepsI32 = new Int32Array(steps);
const stepsI64 = new BigInt64Array(steps);
const summary = new ArrayBuffer(LAYOUT.werun_summary.size);
const summaryU32 = new Uint32Array(summary);
const summaryI32 = new Int32Array(summary);
const summaryU8 = new Uint8Array(summary);
const summaryI64 = new BigInt64Array(summary);
// werun_open_data_result has werun_summary's layout (json_len where count is).
const diagnosisOut = new Uint32Array(1);
const keyIndexOut = new Uint32Array(2); // size_t: its low 32 bits (an index below 4)

// Scratch up to this size is kept for the next call; larger inputs get one of their own.
const KEPT_SCRATCH_MAX = 64 * 1024;
let scratch = Buffer.alloc(4096);
let scratchFitsInput = -1; // the longest input the kept scratch is known to fit

function scratchFor(inputLength) {
  if (inputLength <= scratchFitsInput) return scratch;
  const need = Number(scratchLenC(inputLength));
  if (need <= scratch.length) {
    scratchFitsInput = inputLength;
    return scratch;
  }
  if (need > KEPT_SCRATCH_MAX) return Buffer.alloc(need);
  scratch = Buffer.alloc(Math.min(KEPT_SCRATCH_MAX, Math.max(need, 2 * scratch.length)));
  scratchFitsInput = inputLength;
  return scratch;
}

// werun_decrypt_steps_with_keys needs more (werun_scratch_len_with_keys: about twice as much).
function scratchForKeys(inputLength) {
  const need = Number(scratchLenWithKeysC(inputLength));
  if (need <= scratch.length) return scratch;
  if (need > KEPT_SCRATCH_MAX) return Buffer.alloc(need);
  scratch = Buffer.alloc(Math.min(KEPT_SCRATCH_MAX, Math.max(need, 2 * scratch.length)));
  return scratch;
}

// --- argument checks (all before any foreign call) ---------------------------------------------

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return value.constructor && value.constructor.name ? value.constructor.name : 'object';
  }
  return typeof value;
}

// text() returns what to pass for a text argument and leaves its length in textLength:
// an ASCII string as it is (koffi passes its bytes), any other string as its UTF-8 bytes, a
// Buffer or Uint8Array as it is (no copy).
let textLength = 0;

function text(value, name) {
  if (typeof value === 'string') {
    const n = byteLength(value, 'utf8');
    textLength = n;
    // Equal lengths mean every character is ASCII: the bytes koffi passes are exactly n.
    return n === value.length ? value : Buffer.from(value, 'utf8');
  }
  if (value instanceof Uint8Array) {
    textLength = value.byteLength;
    return value;
  }
  throw new TypeError(`werun: ${name} must be a string, Buffer or Uint8Array, not ` +
    describe(value));
}

function bool(value, name) {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new TypeError(`werun: ${name} must be a boolean, not ${describe(value)}`);
  }
  return value;
}

function int64(value, name, min, max, what) {
  if (typeof value === 'bigint') {
    if (value < min || value > max) {
      throw new RangeError(`werun: ${name} must be ${what}, got ${value}n`);
    }
    return value;
  }
  if (typeof value !== 'number') {
    throw new TypeError(`werun: ${name} must be a number or a bigint (${what}), not ` +
      describe(value));
  }
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`werun: ${name} must be ${what}: an integer (a safe integer, or a ` +
      `bigint), got ${value}`);
  }
  return BigInt(value);
}

const STEPS_OPTIONS = new Set(['appid', 'now', 'maxAge', 'strictBase64', 'maxSteps', 'bigint']);
const OPEN_DATA_OPTIONS = new Set(['appid', 'now', 'maxAge', 'strictBase64', 'bigint']);
const DIAGNOSE_OPTIONS = new Set(['strictBase64']);

function checkKeys(options, allowed, fn) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`werun: ${fn}'s options must be an object, not ${describe(options)}`);
  }
  for (const key in options) {
    if (!allowed.has(key)) {
      throw new TypeError(`werun: ${fn} has no option ${JSON.stringify(key)} (it takes ` +
        `${[...allowed].join(', ')})`);
    }
  }
}

// --- the werun_options struct, in memory from koffi.alloc ------------------------------------
//
// The library reads `appid` through a pointer, so the struct and the appid bytes live together
// in memory that never moves: the struct, then the appid. Options without freshness are the
// same from call to call; they are kept, one per (appid string, strictBase64). The others are
// written into one reused block.

const OPTIONS_CACHE_MAX = 64;
const appidOptions = [new Map(), new Map()]; // [strictBase64 ? 1 : 0]: appid -> pointer
let cachedCount = 0;
let oneOff = null; // { pointer, capacity } for options built per call

// `memory` is koffi.view(pointer, ...) of the whole block, made once per block: every
// koffi.view() call keeps about 230 bytes of native memory for good (koffi 3.3.4, Node 20:
// found by tests/soak), so none is made per call.
function writeOptions(pointer, memory, appidBytes, flags, now, maxAge) {
  const n = appidBytes === null ? 0 : appidBytes.length;
  const view = new DataView(memory, 0, OPTIONS_SIZE + n);
  const o = LAYOUT.werun_options;
  if (appidBytes === null) {
    view.setBigUint64(o.appid, 0n, true);
    flags |= SKIP_APPID;
  } else {
    // Never NULL, even for an empty appid: NULL would mean "no appid given".
    view.setBigUint64(o.appid, pointer + BigInt(OPTIONS_SIZE), true);
    new Uint8Array(view.buffer, OPTIONS_SIZE, n).set(appidBytes);
  }
  view.setBigUint64(o.appid_len, BigInt(n), true);
  view.setUint32(o.flags, flags, true);
  view.setBigInt64(o.now, now, true);
  view.setBigUint64(o.max_age, maxAge, true);
}

function allocOptions(bytes) {
  // One byte more than needed, so that the appid pointer of an empty appid points into it.
  return koffi.alloc('uint8_t', OPTIONS_SIZE + bytes + 1);
}

function cachedOptions(appid, strict) {
  const cache = appidOptions[strict ? 1 : 0];
  let pointer = cache.get(appid);
  if (pointer !== undefined) return pointer;
  if (cachedCount >= OPTIONS_CACHE_MAX) {
    // A server has one appid, or a few: this is a bound, not an eviction policy.
    for (const map of appidOptions) {
      for (const p of map.values()) koffi.free(p);
      map.clear();
    }
    cachedCount = 0;
  }
  const bytes = Buffer.from(appid, 'utf8');
  pointer = allocOptions(bytes.length);
  writeOptions(pointer, koffi.view(pointer, OPTIONS_SIZE + bytes.length), bytes,
    strict ? STRICT : 0, 0n, 0n);
  cache.set(appid, pointer);
  cachedCount++;
  return pointer;
}

function oneOffOptions(appidBytes, flags, now, maxAge) {
  const n = appidBytes === null ? 0 : appidBytes.length;
  if (oneOff === null || oneOff.capacity < n) {
    if (oneOff !== null) koffi.free(oneOff.pointer);
    const capacity = Math.max(n, 64);
    const pointer = allocOptions(capacity);
    oneOff = { pointer, capacity, memory: koffi.view(pointer, OPTIONS_SIZE + capacity) };
  }
  writeOptions(oneOff.pointer, oneOff.memory, appidBytes, flags, now, maxAge);
  return oneOff.pointer;
}

/** Checks the appid/freshness/base64 options and returns a pointer to their werun_options. */
function optionsPointer(options, fn) {
  const appid = options.appid;
  if (appid === undefined) {
    throw new TypeError(`werun: ${fn} needs the appid option: { appid: 'wx...' } (your ` +
      "mini-program's), or { appid: null } written out to skip the check");
  }
  const strict = bool(options.strictBase64, 'strictBase64');
  const now = options.now;
  const maxAge = options.maxAge;
  const fresh = now !== undefined && now !== null;
  if (fresh !== (maxAge !== undefined && maxAge !== null)) {
    throw new TypeError('werun: now and maxAge go together: pass both for a freshness check ' +
      '(now in Unix seconds), or neither');
  }
  if (!fresh && typeof appid === 'string') return cachedOptions(appid, strict);
  let bytes = null;
  if (appid !== null) {
    if (typeof appid === 'string') bytes = Buffer.from(appid, 'utf8');
    else if (appid instanceof Uint8Array) bytes = appid;
    else {
      throw new TypeError('werun: appid must be a string, Buffer or Uint8Array, or null to ' +
        `skip the check, not ${describe(appid)}`);
    }
  }
  let flags = strict ? STRICT : 0;
  let now64 = 0n;
  let maxAge64 = 0n;
  if (fresh) {
    now64 = int64(now, 'now', I64_MIN, I64_MAX, 'Unix seconds within int64');
    maxAge64 = int64(maxAge, 'maxAge', 0n, U64_MAX, 'seconds, 0 to 2**64-1');
    flags |= FRESHNESS;
  }
  return oneOffOptions(bytes, flags, now64, maxAge64);
}

// --- candidate keys: an array of werun_bytes and the key bytes, in memory from koffi.alloc ---

let keysBlock = null; // { pointer, capacity }, reused; the key bytes are wiped after each call

/** Checks sessionKeys and writes them; returns [pointer, count, keyBytesView]. */
function candidateKeys(sessionKeys) {
  if (!Array.isArray(sessionKeys)) {
    throw new TypeError('werun: sessionKeys must be an array of 1 to ' +
      `${MAX_CANDIDATE_KEYS} session_keys (strings, Buffers or Uint8Arrays), not ` +
      describe(sessionKeys));
  }
  const count = sessionKeys.length;
  if (count < 1 || count > MAX_CANDIDATE_KEYS) {
    throw new RangeError(`werun: sessionKeys must hold 1 to ${MAX_CANDIDATE_KEYS} keys, got ` +
      `${count}`);
  }
  const keys = new Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const key = sessionKeys[i];
    if (typeof key === 'string') keys[i] = Buffer.from(key, 'utf8');
    else if (key instanceof Uint8Array) keys[i] = key;
    else {
      throw new TypeError(`werun: sessionKeys[${i}] must be a string, Buffer or Uint8Array, ` +
        `not ${describe(key)}`);
    }
    total += keys[i].length;
  }
  const size = BYTES_SIZE * count + total;
  if (keysBlock === null || keysBlock.capacity < size) {
    if (keysBlock !== null) koffi.free(keysBlock.pointer);
    const capacity = Math.max(size, 256);
    const pointer = koffi.alloc('uint8_t', capacity);
    keysBlock = { pointer, capacity, memory: koffi.view(pointer, capacity) }; // (see writeOptions)
  }
  const { pointer, memory } = keysBlock;
  const view = new DataView(memory, 0, size);
  const bytes = new Uint8Array(memory, 0, size);
  let offset = BYTES_SIZE * count;
  for (let i = 0; i < count; i++) {
    // Never NULL, even for an empty key: it points into the block.
    view.setBigUint64(BYTES_SIZE * i + LAYOUT.werun_bytes.ptr, pointer + BigInt(offset), true);
    view.setBigUint64(BYTES_SIZE * i + LAYOUT.werun_bytes.len, BigInt(keys[i].length), true);
    bytes.set(keys[i], offset);
    offset += keys[i].length;
  }
  return [pointer, count, bytes.subarray(BYTES_SIZE * count)];
}

function maxStepsOption(value) {
  if (value === undefined || value === null) return -1;
  if (typeof value !== 'number') {
    throw new TypeError(`werun: maxSteps must be a number, not ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`werun: maxSteps must be an integer >= 0, got ${value}`);
  }
  return value;
}

// --- reading the results ---------------------------------------------------------------------

function readSteps(u32, i32, i64, count, bigint) {
  const out = new Array(count);
  if (bigint) {
    for (let i = 0; i < count; i++) {
      out[i] = { timestamp: i64[2 * i], step: u32[4 * i + 2] };
    }
  } else {
    // int64 -> the nearest double (exact up to 2**53), as JSON.parse reads the number.
    for (let i = 0; i < count; i++) {
      const o = 4 * i;
      out[i] = { timestamp: i32[o + 1] * TWO_32 + u32[o], step: u32[o + 2] };
    }
  }
  return out;
}

// werun_summary and werun_open_data_result: watermark_timestamp at 8, has_watermark at 16.
function watermark(bigint) {
  if (summaryU8[16] === 0) return null;
  return bigint ? summaryI64[1] : summaryI32[3] * TWO_32 + summaryU32[2];
}

// --- the API ---------------------------------------------------------------------------------

/**
 * Decrypts WeRun data (encryptedData from wx.getWeRunData) and returns its steps.
 * See index.d.ts for the options, the result and the errors.
 */
function decryptSteps(sessionKey, iv, encryptedData, options) {
  const key = text(sessionKey, 'sessionKey');
  const keyLength = textLength;
  const ivArg = text(iv, 'iv');
  const ivLength = textLength;
  const data = text(encryptedData, 'encryptedData');
  const dataLength = textLength;
  checkKeys(options, STEPS_OPTIONS, 'decryptSteps');
  const opts = optionsPointer(options, 'decryptSteps');
  const limit = maxStepsOption(options.maxSteps);
  const bigint = bool(options.bigint, 'bigint');

  const scratchBuf = scratchFor(dataLength);
  let status;
  let u32 = stepsU32;
  let i32 = stepsI32;
  let i64 = stepsI64;
  if (limit <= DEFAULT_CAPACITY) {
    status = decryptStepsC(key, keyLength, ivArg, ivLength, data, dataLength, opts,
      scratchBuf, scratchBuf.length, steps, limit < 0 ? DEFAULT_CAPACITY : limit, summary);
  }
  if (limit > DEFAULT_CAPACITY || (limit < 0 && status === CAPACITY_EXCEEDED)) {
    // The rare payload with more than DEFAULT_CAPACITY entries: a bigger array. Every entry
    // is at least {"step":0,"timestamp":0} (24 bytes) of plaintext, so this many hold them all.
    const fitsAll = Math.floor(Number(scratchLenC(dataLength)) / 16) + 1;
    const capacity = limit < 0 ? fitsAll : Math.min(limit, fitsAll);
    const big = new ArrayBuffer(capacity * STEP_SIZE);
    status = decryptStepsC(key, keyLength, ivArg, ivLength, data, dataLength, opts,
      scratchBuf, scratchBuf.length, big, capacity, summary);
    if (status === CAPACITY_EXCEEDED && limit < 0) {
      // Cannot happen (see above); never truncate silently.
      throw errorFor(CAPACITY_EXCEEDED, decryptSteps);
    }
    u32 = new Uint32Array(big);
    i32 = new Int32Array(big);
    i64 = new BigInt64Array(big);
  }
  if (status !== 0) throw errorFor(status, decryptSteps);
  // count is a size_t no larger than the capacity: its low 32 bits.
  return {
    steps: readSteps(u32, i32, i64, summaryU32[0], bigint),
    watermarkTimestamp: watermark(bigint),
  };
}

/**
 * decryptSteps with 1 to MAX_CANDIDATE_KEYS candidate session_keys, tried in order (a key
 * rotated by a new wx.login: keep the previous one a short while and pass both). Returns
 * decryptSteps' result and keyIndex, the index of the key that worked.
 */
function decryptStepsWithKeys(sessionKeys, iv, encryptedData, options) {
  const ivArg = text(iv, 'iv');
  const ivLength = textLength;
  const data = text(encryptedData, 'encryptedData');
  const dataLength = textLength;
  checkKeys(options, STEPS_OPTIONS, 'decryptStepsWithKeys');
  const opts = optionsPointer(options, 'decryptStepsWithKeys');
  const limit = maxStepsOption(options.maxSteps);
  const bigint = bool(options.bigint, 'bigint');
  const [keys, count, keyBytes] = candidateKeys(sessionKeys);

  try {
    const scratchBuf = scratchForKeys(dataLength);
    let buffer = steps;
    let capacity = limit < 0 || limit > DEFAULT_CAPACITY ? DEFAULT_CAPACITY : limit;
    if (limit > DEFAULT_CAPACITY) {
      capacity = Math.min(limit, Math.floor(Number(scratchLenC(dataLength)) / 16) + 1);
      buffer = new ArrayBuffer(capacity * STEP_SIZE);
    }
    let status = decryptStepsWithKeysC(keys, count, ivArg, ivLength, data, dataLength, opts,
      scratchBuf, scratchBuf.length, buffer, capacity, summary, keyIndexOut);
    if (limit < 0 && status === CAPACITY_EXCEEDED) {
      // As in decryptSteps: an array that holds every entry (a failure is thrown, never a
      // truncated list).
      capacity = Math.floor(Number(scratchLenC(dataLength)) / 16) + 1;
      buffer = new ArrayBuffer(capacity * STEP_SIZE);
      status = decryptStepsWithKeysC(keys, count, ivArg, ivLength, data, dataLength, opts,
        scratchBuf, scratchBuf.length, buffer, capacity, summary, keyIndexOut);
    }
    if (status !== 0) throw errorFor(status, decryptStepsWithKeys);
    return {
      steps: readSteps(new Uint32Array(buffer), new Int32Array(buffer), new BigInt64Array(buffer),
        summaryU32[0], bigint),
      watermarkTimestamp: watermark(bigint),
      keyIndex: keyIndexOut[0],
    };
  } finally {
    keyBytes.fill(0); // the binding's copy of the keys does not outlive the call
  }
}

/**
 * Decrypts any WeChat open data (phone number, user info, share info, WeRun data), checks its
 * watermark as decryptSteps does, and returns the plaintext JSON text.
 */
function openData(sessionKey, iv, encryptedData, options) {
  const key = text(sessionKey, 'sessionKey');
  const keyLength = textLength;
  const ivArg = text(iv, 'iv');
  const ivLength = textLength;
  const data = text(encryptedData, 'encryptedData');
  const dataLength = textLength;
  checkKeys(options, OPEN_DATA_OPTIONS, 'openData');
  const opts = optionsPointer(options, 'openData');
  const bigint = bool(options.bigint, 'bigint');

  const scratchBuf = scratchFor(dataLength);
  const status = openDataC(key, keyLength, ivArg, ivLength, data, dataLength, opts,
    scratchBuf, scratchBuf.length, summary);
  if (status !== 0) throw errorFor(status, openData);
  const length = summaryU32[0] + summaryU32[1] * TWO_32;
  let json;
  try {
    json = scratchBuf.toString('utf8', 0, length);
  } finally {
    scratchBuf.fill(0, 0, length); // the plaintext does not outlive the call in our buffers
  }
  return { json, watermarkTimestamp: watermark(bigint) };
}

/**
 * For server logs only: the likely cause of a DecryptFailedError, as a Diagnosis name.
 * Never tell a client which it was (a padding oracle).
 */
function diagnose(sessionKey, iv, encryptedData, options) {
  const key = text(sessionKey, 'sessionKey');
  const keyLength = textLength;
  const ivArg = text(iv, 'iv');
  const ivLength = textLength;
  const data = text(encryptedData, 'encryptedData');
  const dataLength = textLength;
  let strict = false;
  if (options !== undefined) {
    checkKeys(options, DIAGNOSE_OPTIONS, 'diagnose');
    strict = bool(options.strictBase64, 'strictBase64');
  }
  const scratchBuf = scratchFor(dataLength);
  const status = diagnoseC(key, keyLength, ivArg, ivLength, data, dataLength,
    strict ? STRICT : 0, scratchBuf, scratchBuf.length, diagnosisOut);
  if (status !== 0) throw errorFor(status, diagnose);
  const name = ffi.DIAGNOSIS_NAMES[diagnosisOut[0]];
  return name === undefined ? `UNKNOWN_${diagnosisOut[0]}` : name;
}

/** Diagnosis values by name: Diagnosis.SESSION_KEY_MISMATCH === 2. */
const Diagnosis = Object.freeze(
  Object.fromEntries(ffi.DIAGNOSIS_NAMES.map((name, value) => [name, value])));

/** The library's explanation of a diagnosis (a name from diagnose(), or its value). */
function diagnosisMessage(diagnosis) {
  const value = typeof diagnosis === 'string' ? Diagnosis[diagnosis] : diagnosis;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`werun: not a diagnosis: ${String(diagnosis)}`);
  }
  return fns.werun_diagnosis_str(value >>> 0);
}

module.exports = {
  decryptSteps,
  decryptStepsWithKeys,
  openData,
  diagnose,
  Diagnosis,
  diagnosisMessage,
  Status: errors.Status,
  statusMessage: errors.statusMessage,
  statusWxCode: errors.statusWxCode,
  WerunError: errors.WerunError,
  NullArgumentError: errors.NullArgumentError,
  SessionKeyInvalidError: errors.SessionKeyInvalidError,
  IvInvalidError: errors.IvInvalidError,
  EncryptedDataInvalidError: errors.EncryptedDataInvalidError,
  CiphertextLengthError: errors.CiphertextLengthError,
  BufferTooSmallError: errors.BufferTooSmallError,
  DecryptFailedError: errors.DecryptFailedError,
  AppIdMismatchError: errors.AppIdMismatchError,
  WatermarkExpiredError: errors.WatermarkExpiredError,
  CapacityExceededError: errors.CapacityExceededError,
  InternalError: errors.InternalError,
  InvalidArgumentError: errors.InvalidArgumentError,
  ABI_VERSION: ffi.WERUN_ABI_VERSION,
  DEFAULT_CAPACITY,
  MAX_CANDIDATE_KEYS,
  libraryPath: ffi.libraryPath,
  libraryVersion: fns.werun_version(),
  version: require('./package.json').version,
};
