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

// --- how a call uses memory: it reads everything first, then takes what it writes ---------------
//
// Every call runs in two phases.
//
//  1. It reads each argument and option exactly once, into plain values (strings, numbers,
//     bigints, booleans, null, and the Uint8Arrays it was given), and checks them. This is the
//     only time the caller's JavaScript can run (an option's getter, a Proxy's traps), and such
//     code may call werun again: nothing native is prepared yet, so a nested call has nothing to
//     overwrite or free. valueOf, toString and Symbol.toPrimitive are never called: a value of
//     another type is a TypeError, never converted. A Uint8Array is measured with
//     %TypedArray%.prototype's own accessors (never a subclass's or an own property), in phase 2,
//     after the caller's code has run for the last time: a getter that detaches or shrinks a
//     buffer cannot leave the call with a stale length.
//
//  2. It prepares native memory, calls the library and builds its result, and none of the
//     caller's code runs. Each block it writes (werun_options and the appid, the candidate keys,
//     the scratch, the outputs) it takes off a shelf and puts back when it is done: a block is
//     in one call at a time, never shared between calls. A call that finds a shelf empty (a
//     nested call, could one ever start in phase 2) allocates a block of its own. A block is
//     freed only by the call that holds it (too small for this call, or one more than the shelf
//     keeps), so never while a call points at it. This replaces the options cache and the one
//     reused options block of 0.1.0, which a getter read after them could overwrite or free.
//
// In the usual sequence of calls each shelf holds one block that every call takes and returns,
// so the steady state allocates nothing; an options block remembers what it holds, so a server
// with one appid writes its options once. Each module instance (one per thread: worker_threads
// load their own) has its own shelves. The library wipes the scratch before it returns and
// zeroes the steps on failure; openData wipes the plaintext it leaves in the scratch, and the
// key bytes are wiped after each call.

const SHELF_MAX = 4; // blocks kept per shelf (more only with nested calls)
const { apply } = Reflect;
const { isUint8Array } = require('util').types;
const typedArrayAccessor = (name) =>
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), name).get;
const byteLengthOf = typedArrayAccessor('byteLength');
const byteOffsetOf = typedArrayAccessor('byteOffset');
const bufferOf = typedArrayAccessor('buffer');

/** A plain Uint8Array over the bytes of a Uint8Array (phase 2; its accessors unconsulted). */
function plainBytes(value) {
  const length = apply(byteLengthOf, value, []);
  if (length === 0) return new Uint8Array(0); // also a detached buffer
  return new Uint8Array(apply(bufferOf, value, []), apply(byteOffsetOf, value, []), length);
}

/** The UTF-8 length of a string, or the length of a Uint8Array (phase 2). */
function lengthOf(value) {
  return typeof value === 'string' ? byteLength(value, 'utf8') : apply(byteLengthOf, value, []);
}

// Memory from koffi.alloc, for what the library reads through pointers in it (the appid in the
// options, the candidate keys). `view` and `bytes` are over koffi.view(pointer, capacity), made
// once per block: every koffi.view() call keeps about 230 bytes of native memory for good
// (koffi 3.3.4, Node 20: found by tests/soak), so none is made per call.
function newBlock(capacity) {
  const pointer = koffi.alloc('uint8_t', capacity);
  const memory = koffi.view(pointer, capacity);
  return { pointer, capacity, view: new DataView(memory), bytes: Buffer.from(memory), used: 0,
    appid: undefined, flags: -1, now: 0n, maxAge: 0n };
}

// A shelf: up to SHELF_MAX blocks in a fixed array (no array that grows and shrinks per call).
function newShelf() {
  return { items: new Array(SHELF_MAX).fill(null), count: 0 };
}

/** The block on top of the shelf, taken off it, or undefined. */
function take(shelf) {
  if (shelf.count === 0) return undefined;
  const block = shelf.items[--shelf.count];
  shelf.items[shelf.count] = null;
  return block;
}

/** Puts a block back; false when the shelf is full (the caller frees it or lets it go). */
function put(shelf, block) {
  if (shelf.count === SHELF_MAX) return false;
  shelf.items[shelf.count++] = block;
  return true;
}

/** A block of at least `size` bytes off `shelf` (a too small one is freed: no call holds it). */
function takeBlock(shelf, size, least) {
  let block = take(shelf);
  if (block !== undefined && block.capacity < size) {
    koffi.free(block.pointer);
    block = undefined;
  }
  return block === undefined ? newBlock(Math.max(size, least)) : block;
}

function giveBlock(shelf, block) {
  if (!put(shelf, block)) koffi.free(block.pointer);
}

const optionsShelf = newShelf();
const keysShelf = newShelf();

// The outputs: the steps (DEFAULT_CAPACITY of them), werun_summary (werun_open_data_result has
// its layout, json_len where count is), the diagnosis and the key index.
const outputsShelf = newShelf();

function newOutputs() {
  const steps = new ArrayBuffer(DEFAULT_CAPACITY * STEP_SIZE);
  const summary = new ArrayBuffer(LAYOUT.werun_summary.size);
  return {
    steps,
    u32: new Uint32Array(steps),
    i32: new Int32Array(steps),
    i64: new BigInt64Array(steps),
    summary,
    summaryU32: new Uint32Array(summary),
    summaryI32: new Int32Array(summary),
    summaryU8: new Uint8Array(summary),
    summaryI64: new BigInt64Array(summary),
    diagnosis: new Uint32Array(1),
    keyIndex: new Uint32Array(2), // size_t: its low 32 bits (an index below 4)
  };
}

function takeOutputs() {
  const outputs = take(outputsShelf);
  return outputs === undefined ? newOutputs() : outputs;
}

function giveOutputs(outputs) {
  put(outputsShelf, outputs);
}

// Scratch up to this size is kept for the next call; larger inputs get one of their own.
const KEPT_SCRATCH_MAX = 64 * 1024;
const scratchShelf = newShelf();

/** A scratch for an input of this length: `lenC` is werun_scratch_len or _with_keys. */
function takeScratch(inputLength, lenC) {
  let s = take(scratchShelf);
  if (s === undefined) s = { buffer: Buffer.alloc(4096), fitsInput: -1, kept: true };
  // fitsInput: the longest input the buffer is known to fit (werun_scratch_len's)
  if (lenC === scratchLenC && inputLength <= s.fitsInput) return s;
  const need = Number(lenC(inputLength));
  if (need <= s.buffer.length) {
    if (lenC === scratchLenC) s.fitsInput = inputLength;
    return s;
  }
  if (need > KEPT_SCRATCH_MAX) {
    giveScratch(s);
    return { buffer: Buffer.alloc(need), fitsInput: -1, kept: false };
  }
  s.buffer = Buffer.alloc(Math.min(KEPT_SCRATCH_MAX, Math.max(need, 2 * s.buffer.length)));
  s.fitsInput = lenC === scratchLenC ? inputLength : -1;
  return s;
}

function giveScratch(s) {
  if (s.kept) put(scratchShelf, s);
}

// --- phase 1: reading and checking the arguments (all before any foreign call) -----------------

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return value.constructor && value.constructor.name ? value.constructor.name : 'object';
  }
  return typeof value;
}

/** A text argument: a string, or a Buffer or other Uint8Array (measured in phase 2). */
function checkText(value, name) {
  if (typeof value !== 'string' && !isUint8Array(value)) {
    throw new TypeError(`werun: ${name} must be a string, Buffer or Uint8Array, not ` +
      describe(value));
  }
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

/**
 * Reads each option once and checks it: { appid (a string, a Uint8Array or null), flags, now,
 * maxAge (bigints), limit (maxSteps, -1 for none), bigint }.
 */
function readOptions(options, allowed, fn) {
  checkKeys(options, allowed, fn);
  const appid = options.appid;
  const strictOption = options.strictBase64;
  const now = options.now;
  const maxAge = options.maxAge;
  const maxSteps = allowed.has('maxSteps') ? options.maxSteps : undefined;
  const bigintOption = options.bigint;
  // Every option is read: from here on, plain values only.
  if (appid === undefined) {
    throw new TypeError(`werun: ${fn} needs the appid option: { appid: 'wx...' } (your ` +
      "mini-program's), or { appid: null } written out to skip the check");
  }
  const strict = bool(strictOption, 'strictBase64');
  const fresh = now !== undefined && now !== null;
  if (fresh !== (maxAge !== undefined && maxAge !== null)) {
    throw new TypeError('werun: now and maxAge go together: pass both for a freshness check ' +
      '(now in Unix seconds), or neither');
  }
  if (appid !== null && typeof appid !== 'string' && !isUint8Array(appid)) {
    throw new TypeError('werun: appid must be a string, Buffer or Uint8Array, or null to ' +
      `skip the check, not ${describe(appid)}`);
  }
  let flags = strict ? STRICT : 0;
  if (appid === null) flags |= SKIP_APPID;
  let now64 = 0n;
  let maxAge64 = 0n;
  if (fresh) {
    now64 = int64(now, 'now', I64_MIN, I64_MAX, 'Unix seconds within int64');
    maxAge64 = int64(maxAge, 'maxAge', 0n, U64_MAX, 'seconds, 0 to 2**64-1');
    flags |= FRESHNESS;
  }
  const limit = maxStepsOption(maxSteps);
  const bigint = bool(bigintOption, 'bigint');
  return { appid, flags, now: now64, maxAge: maxAge64, limit, bigint };
}

/** Reads the candidate keys once each and checks them: a plain array of texts. */
function readKeys(sessionKeys) {
  if (!Array.isArray(sessionKeys)) {
    throw new TypeError('werun: sessionKeys must be an array of 1 to ' +
      `${MAX_CANDIDATE_KEYS} session_keys (strings, Buffers or Uint8Arrays), not ` +
      describe(sessionKeys));
  }
  const count = sessionKeys.length; // a Proxy's may be anything
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 ||
      count > MAX_CANDIDATE_KEYS) {
    throw new RangeError(`werun: sessionKeys must hold 1 to ${MAX_CANDIDATE_KEYS} keys, got ` +
      `${typeof count === 'number' ? count : describe(count)}`);
  }
  const keys = [];
  for (let i = 0; i < count; i++) {
    const key = sessionKeys[i];
    if (typeof key !== 'string' && !isUint8Array(key)) {
      throw new TypeError(`werun: sessionKeys[${i}] must be a string, Buffer or Uint8Array, ` +
        `not ${describe(key)}`);
    }
    keys.push(key);
  }
  return keys;
}

// --- phase 2: native memory ------------------------------------------------------------------

// text() returns what to pass for a text argument and leaves its length in textLength: an
// ASCII string as it is (koffi passes its bytes), any other string as its UTF-8 bytes, a Buffer
// or Uint8Array as it is (no copy; its length from the intrinsic accessor).
let textLength = 0;

function text(value) {
  if (typeof value === 'string') {
    const n = byteLength(value, 'utf8');
    textLength = n;
    // Equal lengths mean every character is ASCII: the bytes koffi passes are exactly n.
    return n === value.length ? value : Buffer.from(value, 'utf8');
  }
  textLength = apply(byteLengthOf, value, []);
  return value;
}

/**
 * werun_options in a block off the options shelf: the struct, then the appid (the library
 * reads it through a pointer, so both live in memory that never moves).
 */
function takeOptions(o) {
  const appid = o.appid;
  const last = optionsShelf.count > 0 ? optionsShelf.items[optionsShelf.count - 1] : null;
  if (last !== null && typeof appid === 'string' && last.appid === appid &&
      last.flags === o.flags && last.now === o.now && last.maxAge === o.maxAge) {
    return take(optionsShelf); // it holds these options already
  }
  const n = appid === null ? 0 : lengthOf(appid);
  // One byte more than the appid, so that the pointer of an empty appid points into the block.
  const block = takeBlock(optionsShelf, OPTIONS_SIZE + n + 1, OPTIONS_SIZE + 64 + 1);
  const { view, bytes, pointer } = block;
  const L = LAYOUT.werun_options;
  block.appid = undefined;
  if (appid === null) {
    view.setBigUint64(L.appid, 0n, true);
  } else {
    // Never NULL, even for an empty appid: NULL would mean "no appid given".
    view.setBigUint64(L.appid, pointer + BigInt(OPTIONS_SIZE), true);
    if (typeof appid === 'string') bytes.write(appid, OPTIONS_SIZE, n, 'utf8');
    else bytes.set(plainBytes(appid), OPTIONS_SIZE);
  }
  view.setBigUint64(L.appid_len, BigInt(n), true);
  view.setUint32(L.flags, o.flags, true);
  view.setBigInt64(L.now, o.now, true);
  view.setBigUint64(L.max_age, o.maxAge, true);
  block.flags = o.flags;
  block.now = o.now;
  block.maxAge = o.maxAge;
  if (typeof appid === 'string') block.appid = appid;
  return block;
}

/** The candidate keys in a block off the keys shelf: an array of werun_bytes, then the bytes. */
function takeKeys(keys) {
  const count = keys.length;
  const lengths = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    lengths.push(lengthOf(keys[i]));
    total += lengths[i];
  }
  const size = BYTES_SIZE * count + total;
  const block = takeBlock(keysShelf, size, 256);
  const { view, bytes, pointer } = block;
  let offset = BYTES_SIZE * count;
  block.used = size;
  for (let i = 0; i < count; i++) {
    const key = keys[i];
    // Never NULL, even for an empty key: it points into the block.
    view.setBigUint64(BYTES_SIZE * i + LAYOUT.werun_bytes.ptr, pointer + BigInt(offset), true);
    view.setBigUint64(BYTES_SIZE * i + LAYOUT.werun_bytes.len, BigInt(lengths[i]), true);
    if (typeof key === 'string') bytes.write(key, offset, lengths[i], 'utf8');
    else bytes.set(plainBytes(key), offset);
    offset += lengths[i];
  }
  return block;
}

/** Wipes the key bytes (the binding's copy does not outlive the call) and shelves the block. */
function giveKeys(block, count) {
  block.bytes.fill(0, BYTES_SIZE * count, block.used);
  giveBlock(keysShelf, block);
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
function watermark(out, bigint) {
  if (out.summaryU8[16] === 0) return null;
  return bigint ? out.summaryI64[1] : out.summaryI32[3] * TWO_32 + out.summaryU32[2];
}

// --- the API ---------------------------------------------------------------------------------

/**
 * Decrypts WeRun data (encryptedData from wx.getWeRunData) and returns its steps.
 * See index.d.ts for the options, the result and the errors.
 */
function decryptSteps(sessionKey, iv, encryptedData, options) {
  // Phase 1: every argument and option, read once and checked.
  checkText(sessionKey, 'sessionKey');
  checkText(iv, 'iv');
  checkText(encryptedData, 'encryptedData');
  const o = readOptions(options, STEPS_OPTIONS, 'decryptSteps');
  // Phase 2: none of the caller's code runs from here on.
  const key = text(sessionKey);
  const keyLength = textLength;
  const ivArg = text(iv);
  const ivLength = textLength;
  const data = text(encryptedData);
  const dataLength = textLength;
  const limit = o.limit;
  let opts = null;
  let out = null;
  let s = null;
  try {
    opts = takeOptions(o);
    out = takeOutputs();
    s = takeScratch(dataLength, scratchLenC);
    let status;
    let u32 = out.u32;
    let i32 = out.i32;
    let i64 = out.i64;
    if (limit <= DEFAULT_CAPACITY) {
      status = decryptStepsC(key, keyLength, ivArg, ivLength, data, dataLength, opts.pointer,
        s.buffer, s.buffer.length, out.steps, limit < 0 ? DEFAULT_CAPACITY : limit,
        out.summary);
    }
    if (limit > DEFAULT_CAPACITY || (limit < 0 && status === CAPACITY_EXCEEDED)) {
      // The rare payload with more than DEFAULT_CAPACITY entries: a bigger array. Every entry
      // is at least {"step":0,"timestamp":0} (24 bytes) of plaintext, so this many hold them.
      const fitsAll = Math.floor(Number(scratchLenC(dataLength)) / 16) + 1;
      const capacity = limit < 0 ? fitsAll : Math.min(limit, fitsAll);
      const big = new ArrayBuffer(capacity * STEP_SIZE);
      status = decryptStepsC(key, keyLength, ivArg, ivLength, data, dataLength, opts.pointer,
        s.buffer, s.buffer.length, big, capacity, out.summary);
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
      steps: readSteps(u32, i32, i64, out.summaryU32[0], o.bigint),
      watermarkTimestamp: watermark(out, o.bigint),
    };
  } finally {
    if (s !== null) giveScratch(s);
    if (out !== null) giveOutputs(out);
    if (opts !== null) giveBlock(optionsShelf, opts);
  }
}

/**
 * decryptSteps with 1 to MAX_CANDIDATE_KEYS candidate session_keys, tried in order (a key
 * rotated by a new wx.login: keep the previous one a short while and pass both). Returns
 * decryptSteps' result and keyIndex, the index of the key that worked.
 */
function decryptStepsWithKeys(sessionKeys, iv, encryptedData, options) {
  // Phase 1: every argument and option, read once and checked.
  checkText(iv, 'iv');
  checkText(encryptedData, 'encryptedData');
  const o = readOptions(options, STEPS_OPTIONS, 'decryptStepsWithKeys');
  const keyList = readKeys(sessionKeys);
  // Phase 2: none of the caller's code runs from here on.
  const ivArg = text(iv);
  const ivLength = textLength;
  const data = text(encryptedData);
  const dataLength = textLength;
  const limit = o.limit;
  const count = keyList.length;
  let keys = null;
  let opts = null;
  let out = null;
  let s = null;
  try {
    keys = takeKeys(keyList);
    opts = takeOptions(o);
    out = takeOutputs();
    s = takeScratch(dataLength, scratchLenWithKeysC);
    let buffer = out.steps;
    let capacity = limit < 0 || limit > DEFAULT_CAPACITY ? DEFAULT_CAPACITY : limit;
    if (limit > DEFAULT_CAPACITY) {
      capacity = Math.min(limit, Math.floor(Number(scratchLenC(dataLength)) / 16) + 1);
      buffer = new ArrayBuffer(capacity * STEP_SIZE);
    }
    let status = decryptStepsWithKeysC(keys.pointer, count, ivArg, ivLength, data, dataLength,
      opts.pointer, s.buffer, s.buffer.length, buffer, capacity, out.summary, out.keyIndex);
    if (limit < 0 && status === CAPACITY_EXCEEDED) {
      // As in decryptSteps: an array that holds every entry (a failure is thrown, never a
      // truncated list).
      capacity = Math.floor(Number(scratchLenC(dataLength)) / 16) + 1;
      buffer = new ArrayBuffer(capacity * STEP_SIZE);
      status = decryptStepsWithKeysC(keys.pointer, count, ivArg, ivLength, data, dataLength,
        opts.pointer, s.buffer, s.buffer.length, buffer, capacity, out.summary, out.keyIndex);
    }
    if (status !== 0) throw errorFor(status, decryptStepsWithKeys);
    return {
      steps: readSteps(new Uint32Array(buffer), new Int32Array(buffer), new BigInt64Array(buffer),
        out.summaryU32[0], o.bigint),
      watermarkTimestamp: watermark(out, o.bigint),
      keyIndex: out.keyIndex[0],
    };
  } finally {
    if (s !== null) giveScratch(s);
    if (out !== null) giveOutputs(out);
    if (opts !== null) giveBlock(optionsShelf, opts);
    if (keys !== null) giveKeys(keys, count);
  }
}

/**
 * Decrypts any WeChat open data (phone number, user info, share info, WeRun data), checks its
 * watermark as decryptSteps does, and returns the plaintext JSON text.
 */
function openData(sessionKey, iv, encryptedData, options) {
  // Phase 1: every argument and option, read once and checked.
  checkText(sessionKey, 'sessionKey');
  checkText(iv, 'iv');
  checkText(encryptedData, 'encryptedData');
  const o = readOptions(options, OPEN_DATA_OPTIONS, 'openData');
  // Phase 2: none of the caller's code runs from here on.
  const key = text(sessionKey);
  const keyLength = textLength;
  const ivArg = text(iv);
  const ivLength = textLength;
  const data = text(encryptedData);
  const dataLength = textLength;
  let opts = null;
  let out = null;
  let s = null;
  try {
    opts = takeOptions(o);
    out = takeOutputs();
    s = takeScratch(dataLength, scratchLenC);
    const status = openDataC(key, keyLength, ivArg, ivLength, data, dataLength, opts.pointer,
      s.buffer, s.buffer.length, out.summary);
    if (status !== 0) throw errorFor(status, openData);
    const length = out.summaryU32[0] + out.summaryU32[1] * TWO_32;
    let json;
    try {
      json = s.buffer.toString('utf8', 0, length);
    } finally {
      s.buffer.fill(0, 0, length); // the plaintext does not outlive the call in our buffers
    }
    return { json, watermarkTimestamp: watermark(out, o.bigint) };
  } finally {
    if (s !== null) giveScratch(s);
    if (out !== null) giveOutputs(out);
    if (opts !== null) giveBlock(optionsShelf, opts);
  }
}

/**
 * For server logs only: the likely cause of a DecryptFailedError, as a Diagnosis name.
 * Never tell a client which it was (a padding oracle).
 */
function diagnose(sessionKey, iv, encryptedData, options) {
  // Phase 1: every argument and option, read once and checked.
  checkText(sessionKey, 'sessionKey');
  checkText(iv, 'iv');
  checkText(encryptedData, 'encryptedData');
  let strict = false;
  if (options !== undefined) {
    checkKeys(options, DIAGNOSE_OPTIONS, 'diagnose');
    strict = bool(options.strictBase64, 'strictBase64');
  }
  // Phase 2: none of the caller's code runs from here on.
  const key = text(sessionKey);
  const keyLength = textLength;
  const ivArg = text(iv);
  const ivLength = textLength;
  const data = text(encryptedData);
  const dataLength = textLength;
  let out = null;
  let s = null;
  try {
    out = takeOutputs();
    s = takeScratch(dataLength, scratchLenC);
    const status = diagnoseC(key, keyLength, ivArg, ivLength, data, dataLength,
      strict ? STRICT : 0, s.buffer, s.buffer.length, out.diagnosis);
    if (status !== 0) throw errorFor(status, diagnose);
    const value = out.diagnosis[0];
    const name = ffi.DIAGNOSIS_NAMES[value];
    return name === undefined ? `UNKNOWN_${value}` : name;
  } finally {
    if (s !== null) giveScratch(s);
    if (out !== null) giveOutputs(out);
  }
}

/** Diagnosis values by name: Diagnosis.SESSION_KEY_MISMATCH === 2. */
const Diagnosis = Object.freeze(
  Object.fromEntries(ffi.DIAGNOSIS_NAMES.map((name, value) => [name, value])));

/**
 * The library's explanation of a diagnosis: a name from diagnose(), or a value (an integer from
 * 0 to 2**32-1: anything else is a RangeError, never truncated; another type a TypeError).
 */
function diagnosisMessage(diagnosis) {
  if (typeof diagnosis === 'string') {
    if (!Object.prototype.hasOwnProperty.call(Diagnosis, diagnosis)) {
      throw new TypeError(`werun: not a diagnosis: ${JSON.stringify(diagnosis)}`);
    }
    return fns.werun_diagnosis_str(Diagnosis[diagnosis]);
  }
  return fns.werun_diagnosis_str(errors.codeValue(diagnosis, 'diagnosisMessage', 'a diagnosis'));
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
