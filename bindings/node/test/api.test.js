'use strict';
// The JavaScript API's own rules: argument types and checks (all before any foreign call),
// options, results, errors, long inputs, and that bad input never throws anything but a
// WerunError, a TypeError or a RangeError.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

// Count the calls into the library that decrypt (or size a scratch for it): the wrappers are
// in place before index.js reads the function table.
const ffi = require('../lib/ffi');
let foreignCalls = 0;
const lastArgs = {};
for (const name of ['werun_decrypt_steps', 'werun_decrypt_steps_with_keys', 'werun_open_data',
  'werun_diagnose', 'werun_scratch_len', 'werun_scratch_len_with_keys']) {
  const fn = ffi.fns[name];
  ffi.fns[name] = (...args) => {
    foreignCalls++;
    lastArgs[name] = args;
    return fn(...args);
  };
}
const werun = require('..');
const errors = require('../lib/errors');
const { loadVectors, REPO_DIR, PACKAGE_DIR } = require('./helpers');

const vectors = loadVectors();
const SAMPLE = vectors.sample;
const KEY = SAMPLE.session_key;
const IV = SAMPLE.iv;
const DATA = SAMPLE.encrypted_data;
const APPID = SAMPLE.appid;
const STEPS = SAMPLE.expect.steps.map(([timestamp, step]) => ({ timestamp, step }));
const WATERMARK = SAMPLE.expect.watermark_timestamp;
const byId = (id) => vectors.vectors.find((v) => v.id === id);

/** Asserts that fn throws `cls` (TypeError or RangeError) without calling the library. */
function refusedBeforeAnyCall(fn, cls, pattern) {
  const before = foreignCalls;
  assert.throws(fn, (e) => {
    assert.equal(e.constructor, cls, `${e.constructor.name}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    assert.match(e.message, /^werun: /);
    return true;
  });
  assert.equal(foreignCalls, before, 'the library was called');
}

/** AES-128-CBC/PKCS#7 by node:crypto, to make payloads the vector file does not have. */
function encrypt(plaintext) {
  const key = crypto.randomBytes(16);
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-128-cbc', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [key.toString('base64'), iv.toString('base64'), data.toString('base64')];
}

function werunPlaintext(count, appid = APPID) {
  const entries = [];
  for (let i = 0; i < count; i++) {
    entries.push(`{"timestamp":${1600000000 + 86400 * i},"step":${i * 7}}`);
  }
  return `{"stepInfoList":[${entries.join(',')}],"watermark":{"timestamp":1717201234,` +
    `"appid":"${appid}"}}`;
}

// --- inputs ---------------------------------------------------------------------------------

const CONVERSIONS = {
  string: (s) => s,
  Buffer: (s) => Buffer.from(s),
  Uint8Array: (s) => new Uint8Array(Buffer.from(s)),
  'Uint8Array at an offset': (s) => {
    const whole = Buffer.from(`xyz${s}xyz`);
    return new Uint8Array(whole.buffer, whole.byteOffset + 3, whole.length - 6);
  },
};

for (const [kind, convert] of Object.entries(CONVERSIONS)) {
  test(`every text argument and the appid may be a ${kind}`, () => {
    const data = werun.decryptSteps(convert(KEY), convert(IV), convert(DATA),
      { appid: convert(APPID) });
    assert.deepEqual(data, { steps: STEPS, watermarkTimestamp: WATERMARK });
    const opened = werun.openData(convert(KEY), convert(IV), convert(DATA),
      { appid: convert(APPID) });
    assert.ok(opened.json.startsWith('{"stepInfoList":'));
    assert.equal(werun.diagnose(convert(KEY), convert(IV), convert(DATA)), 'WERUN_DATA');
  });
}

test('string and byte arguments mix', () => {
  const data = werun.decryptSteps(Buffer.from(KEY), IV, Buffer.from(DATA), { appid: APPID });
  assert.deepEqual(data.steps, STEPS);
});

test('inputs are not modified', () => {
  const inputs = [KEY, IV, DATA, APPID].map((s) => Buffer.from(s));
  const copies = inputs.map((b) => Buffer.from(b));
  werun.decryptSteps(inputs[0], inputs[1], inputs[2], { appid: inputs[3] });
  werun.openData(inputs[0], inputs[1], inputs[2], { appid: inputs[3] });
  werun.diagnose(inputs[0], inputs[1], inputs[2]);
  assert.throws(() => werun.decryptSteps(inputs[0], inputs[1], inputs[2], { appid: 'wx' }),
    werun.AppIdMismatchError);
  assert.deepEqual(inputs, copies);
});

test('non-ASCII text is an input error, not a crash', () => {
  assert.throws(() => werun.decryptSteps(`${KEY.slice(0, -2)}é=`, IV, DATA, { appid: APPID }),
    werun.SessionKeyInvalidError);
  assert.throws(() => werun.decryptSteps(KEY, `中${IV.slice(1)}`, DATA, { appid: APPID }),
    werun.IvInvalidError);
  assert.throws(() => werun.decryptSteps(KEY, IV, `${DATA}\ud800`, { appid: APPID }),
    werun.EncryptedDataInvalidError);
  assert.throws(() => werun.decryptSteps(KEY, IV, `${DATA.slice(0, 8)}\u00ff${DATA.slice(8)}`,
    { appid: APPID }), werun.EncryptedDataInvalidError);
  // A non-ASCII appid is compared as UTF-8 bytes.
  assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: 'wx微信' }),
    werun.AppIdMismatchError);
});

test('a NUL inside a string is passed through, not a terminator', () => {
  assert.throws(() => werun.decryptSteps(KEY, IV, `${DATA}\0`, { appid: APPID }),
    werun.EncryptedDataInvalidError);
  assert.throws(() => werun.decryptSteps(`${KEY}\0`, IV, DATA, { appid: APPID }),
    werun.SessionKeyInvalidError);
  assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: `${APPID}\0` }),
    werun.AppIdMismatchError);
});

test('empty inputs are input errors', () => {
  assert.throws(() => werun.decryptSteps('', IV, DATA, { appid: APPID }),
    werun.SessionKeyInvalidError);
  assert.throws(() => werun.decryptSteps(KEY, new Uint8Array(0), DATA, { appid: APPID }),
    werun.IvInvalidError);
  assert.throws(() => werun.decryptSteps(KEY, IV, Buffer.alloc(0), { appid: APPID }),
    werun.CiphertextLengthError);
  assert.throws(() => werun.openData(KEY, IV, '', { appid: null }), werun.CiphertextLengthError);
  assert.throws(() => werun.diagnose(KEY, IV, ''), werun.CiphertextLengthError);
});

const NOT_TEXT = [undefined, null, 42, 42n, true, Symbol('s'), {}, [], ['a'],
  new ArrayBuffer(24), new DataView(new ArrayBuffer(24)), new Uint16Array(12),
  new Int8Array(24), () => KEY, new String(KEY)];

test('text arguments of any other type are a TypeError before any foreign call', () => {
  for (const bad of NOT_TEXT) {
    for (const position of [0, 1, 2]) {
      const args = [KEY, IV, DATA];
      args[position] = bad;
      const name = ['sessionKey', 'iv', 'encryptedData'][position];
      const pattern = new RegExp(`${name} must be a string, Buffer or Uint8Array`);
      refusedBeforeAnyCall(() => werun.decryptSteps(...args, { appid: APPID }), TypeError,
        pattern);
      refusedBeforeAnyCall(() => werun.openData(...args, { appid: APPID }), TypeError, pattern);
      refusedBeforeAnyCall(() => werun.diagnose(...args), TypeError, pattern);
    }
  }
});

// --- options --------------------------------------------------------------------------------

test('options are required, and must be an object', () => {
  for (const fn of [werun.decryptSteps, werun.openData]) {
    for (const bad of [undefined, null, 'wx4f4bc4dec97d474b', 42, true]) {
      refusedBeforeAnyCall(() => fn(KEY, IV, DATA, bad), TypeError, /options must be an object/);
    }
  }
  refusedBeforeAnyCall(() => werun.diagnose(KEY, IV, DATA, null), TypeError,
    /options must be an object/);
});

test('the appid is required: leaving it out is a TypeError', () => {
  for (const fn of [werun.decryptSteps, werun.openData]) {
    for (const options of [{}, { appid: undefined }, { strictBase64: true }]) {
      refusedBeforeAnyCall(() => fn(KEY, IV, DATA, options), TypeError,
        /needs the appid option: .*\{ appid: null \} written out to skip the check/);
    }
  }
});

test('an appid of another type is a TypeError', () => {
  for (const bad of [42, true, {}, ['wx'], new ArrayBuffer(2), new Uint16Array(2)]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: bad }), TypeError,
      /appid must be a string, Buffer or Uint8Array, or null/);
  }
});

test('appid: null, written out, skips the check', () => {
  const v = byId('wrong-appid');
  assert.throws(() => werun.decryptSteps(v.session_key, v.iv, v.encrypted_data,
    { appid: v.appid }), werun.AppIdMismatchError);
  const data = werun.decryptSteps(v.session_key, v.iv, v.encrypted_data, { appid: null });
  assert.ok(data.steps.length > 0);
});

test('an empty appid is checked, not skipped', () => {
  for (const appid of ['', Buffer.alloc(0), new Uint8Array(0)]) {
    assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid }), werun.AppIdMismatchError);
    assert.throws(() => werun.openData(KEY, IV, DATA, { appid }), werun.AppIdMismatchError);
  }
});

test('unknown options are a TypeError (a misspelt check is never skipped)', () => {
  for (const options of [{ appid: APPID, maxage: 600 }, { appid: APPID, appId: 'wx' },
    { appid: APPID, strict: true }]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, options), TypeError,
      /has no option/);
  }
  refusedBeforeAnyCall(() => werun.openData(KEY, IV, DATA, { appid: APPID, maxSteps: 31 }),
    TypeError, /openData has no option "maxSteps"/);
  refusedBeforeAnyCall(() => werun.diagnose(KEY, IV, DATA, { appid: APPID }), TypeError,
    /diagnose has no option "appid"/);
});

test('now and maxAge go together', () => {
  for (const extra of [{ now: WATERMARK }, { maxAge: 600 }, { now: WATERMARK, maxAge: null },
    { now: undefined, maxAge: 5 }]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, ...extra }),
      TypeError, /now and maxAge go together/);
  }
  // Both null or undefined: no freshness check.
  assert.equal(werun.decryptSteps(KEY, IV, DATA,
    { appid: APPID, now: null, maxAge: undefined }).steps.length, 31);
});

test('now and maxAge of another type are a TypeError', () => {
  for (const [now, maxAge] of [['1717201234', 600], [WATERMARK, '600'], [{}, 600],
    [WATERMARK, true], [new Date(), 600]]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, now, maxAge }),
      TypeError, /must be a number or a bigint/);
  }
});

test('now and maxAge out of range are a RangeError', () => {
  for (const [now, maxAge] of [[1.5, 600], [NaN, 600], [Infinity, 600], [2 ** 53, 600],
    [2n ** 63n, 600], [-(2n ** 63n) - 1n, 600], [WATERMARK, -1], [WATERMARK, -1n],
    [WATERMARK, 2n ** 64n], [WATERMARK, 0.5], [WATERMARK, Number.MAX_VALUE]]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, now, maxAge }),
      RangeError, /must be/);
  }
});

test('freshness: numbers and bigints, at the limits of int64 and uint64', () => {
  const ok = (now, maxAge) => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, now, maxAge });
  assert.equal(ok(WATERMARK, 0).steps.length, 31);
  assert.equal(ok(BigInt(WATERMARK) + 600n, 600n).steps.length, 31);
  assert.equal(ok(WATERMARK + 600, 600).steps.length, 31);
  assert.throws(() => ok(WATERMARK + 601, 600), werun.WatermarkExpiredError);
  assert.throws(() => ok(WATERMARK - 1, 600), werun.WatermarkExpiredError); // the future
  assert.equal(ok(2n ** 63n - 1n, 2n ** 64n - 1n).steps.length, 31);
  assert.throws(() => ok(-(2n ** 63n), 2n ** 64n - 1n), werun.WatermarkExpiredError);
  // Date.now() is milliseconds: the watermark looks 50 years old.
  assert.throws(() => ok(WATERMARK * 1000, 86400), werun.WatermarkExpiredError);
  // openData checks it the same way.
  assert.equal(werun.openData(KEY, IV, DATA, { appid: APPID, now: WATERMARK, maxAge: 0 })
    .watermarkTimestamp, WATERMARK);
  assert.throws(() => werun.openData(KEY, IV, DATA, { appid: APPID, now: WATERMARK + 1,
    maxAge: 0 }), werun.WatermarkExpiredError);
});

test('strictBase64 must be a boolean, and refuses repairs', () => {
  for (const bad of ['true', 1, null, {}]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA,
      { appid: APPID, strictBase64: bad }), TypeError, /strictBase64 must be a boolean/);
    refusedBeforeAnyCall(() => werun.diagnose(KEY, IV, DATA, { strictBase64: bad }), TypeError,
      /strictBase64 must be a boolean/);
  }
  const spaced = DATA.replace(/\+/g, ' ');
  assert.notEqual(spaced, DATA);
  assert.deepEqual(werun.decryptSteps(KEY, IV, spaced, { appid: APPID }).steps, STEPS);
  assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: APPID, strictBase64: true }).steps,
    STEPS);
  assert.throws(() => werun.decryptSteps(KEY, IV, spaced, { appid: APPID, strictBase64: true }),
    werun.EncryptedDataInvalidError);
  assert.throws(() => werun.diagnose(KEY, IV, spaced, { strictBase64: true }),
    werun.EncryptedDataInvalidError);
  // The options cache keeps the two modes apart.
  assert.deepEqual(werun.decryptSteps(KEY, IV, spaced, { appid: APPID }).steps, STEPS);
});

test('maxSteps is checked', () => {
  for (const bad of ['31', 31n, true, {}]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, maxSteps: bad }),
      TypeError, /maxSteps must be a number/);
  }
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, maxSteps: bad }),
      RangeError, /maxSteps must be an integer >= 0/);
  }
});

test('maxSteps at or above the count returns everything, below it throws', () => {
  for (const maxSteps of [31, 32, 33, 1000, 2 ** 40, null, undefined]) {
    assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: APPID, maxSteps }).steps, STEPS);
  }
  for (const maxSteps of [0, 1, 30]) {
    assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, maxSteps }),
      werun.CapacityExceededError);
  }
});

test('bigint must be a boolean', () => {
  for (const bad of ['true', 1, null]) {
    refusedBeforeAnyCall(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, bigint: bad }),
      TypeError, /bigint must be a boolean/);
    refusedBeforeAnyCall(() => werun.openData(KEY, IV, DATA, { appid: APPID, bigint: bad }),
      TypeError, /bigint must be a boolean/);
  }
});

test('many appids: the options cache stays bounded and correct', () => {
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 100; i++) {
      assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: `wx${i}` }),
        werun.AppIdMismatchError);
      assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: `wx${i}`,
        strictBase64: true }), werun.AppIdMismatchError);
    }
    assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: APPID }).steps, STEPS);
    // A long appid in the per-call block, then a short one.
    assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: Buffer.alloc(5000, 0x41) }),
      werun.AppIdMismatchError);
    assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: Buffer.from(APPID) }).steps,
      STEPS);
  }
});

// --- candidate keys -------------------------------------------------------------------------

test('decryptStepsWithKeys: the candidates must be an array of 1 to 4 texts', () => {
  const call = (keys) => () => werun.decryptStepsWithKeys(keys, IV, DATA, { appid: APPID });
  for (const bad of [KEY, Buffer.from(KEY), null, undefined, {}, new Set([KEY])]) {
    refusedBeforeAnyCall(call(bad), TypeError, /sessionKeys must be an array of 1 to 4/);
  }
  refusedBeforeAnyCall(call([]), RangeError, /sessionKeys must hold 1 to 4 keys, got 0/);
  refusedBeforeAnyCall(call([KEY, KEY, KEY, KEY, KEY]), RangeError,
    /sessionKeys must hold 1 to 4 keys, got 5/);
  for (const bad of [null, 42, {}, new ArrayBuffer(24), new Uint16Array(12)]) {
    refusedBeforeAnyCall(call([KEY, bad]), TypeError,
      /sessionKeys\[1\] must be a string, Buffer or Uint8Array/);
  }
  refusedBeforeAnyCall(() => werun.decryptStepsWithKeys([KEY], IV, DATA, {}), TypeError,
    /decryptStepsWithKeys needs the appid option/);
  refusedBeforeAnyCall(() => werun.decryptStepsWithKeys([KEY], 42, DATA, { appid: APPID }),
    TypeError, /iv must be/);
  assert.equal(werun.MAX_CANDIDATE_KEYS, 4);
});

test('decryptStepsWithKeys: keys of every kind, not modified; stale and empty ones', () => {
  const stale = 'AAAAAAAAAAAAAAAAAAAAAA==';
  const keys = [Buffer.from(stale), new Uint8Array(Buffer.from(KEY))];
  const copies = keys.map((k) => Buffer.from(k));
  const data = werun.decryptStepsWithKeys(keys, IV, DATA, { appid: APPID });
  assert.deepEqual(data, { steps: STEPS, watermarkTimestamp: WATERMARK, keyIndex: 1 });
  assert.deepEqual(keys.map((k) => Buffer.from(k)), copies);
  assert.equal(werun.decryptStepsWithKeys([KEY, stale, stale, stale], IV, DATA,
    { appid: APPID }).keyIndex, 0);
  assert.throws(() => werun.decryptStepsWithKeys([stale, ''], IV, DATA, { appid: APPID }),
    werun.SessionKeyInvalidError);
  assert.throws(() => werun.decryptStepsWithKeys([stale], IV, DATA, { appid: APPID }),
    werun.DecryptFailedError);
  // A long key in the reused block, then short ones again.
  assert.throws(() => werun.decryptStepsWithKeys(['A'.repeat(5000)], IV, DATA,
    { appid: APPID }), werun.SessionKeyInvalidError);
  assert.equal(werun.decryptStepsWithKeys([stale, KEY], IV, DATA, { appid: APPID }).keyIndex, 1);
});

test('decryptStepsWithKeys: the binding\'s copy of the keys is wiped after the call', () => {
  const stale = 'AAAAAAAAAAAAAAAAAAAAAA==';
  for (const appid of [APPID, 'wx0']) {
    try {
      werun.decryptStepsWithKeys([stale, KEY], IV, DATA, { appid });
    } catch (e) {
      assert.ok(e instanceof werun.AppIdMismatchError);
    }
    const [pointer, count] = lastArgs.werun_decrypt_steps_with_keys;
    assert.equal(count, 2);
    const block = Buffer.from(ffi.koffi.view(pointer, 16 * count + stale.length + KEY.length));
    // The werun_bytes array: pointers into the block, the lengths of the keys.
    assert.equal(block.readBigUInt64LE(0), pointer + 32n);
    assert.equal(block.readBigUInt64LE(8), BigInt(stale.length));
    assert.equal(block.readBigUInt64LE(16), pointer + 32n + BigInt(stale.length));
    assert.equal(block.readBigUInt64LE(24), BigInt(KEY.length));
    assert.ok(block.subarray(32).every((b) => b === 0), 'key bytes left in the block');
  }
});

test('decryptStepsWithKeys: more entries than DEFAULT_CAPACITY, long inputs, freshness', () => {
  for (const count of [33, 1000, 20000]) {
    const [k, iv, d] = encrypt(werunPlaintext(count));
    const data = werun.decryptStepsWithKeys(['AAAAAAAAAAAAAAAAAAAAAA==', k], iv, d,
      { appid: APPID });
    assert.equal(data.keyIndex, 1);
    assert.deepEqual(data.steps, werun.decryptSteps(k, iv, d, { appid: APPID }).steps);
    assert.equal(werun.decryptStepsWithKeys([k], iv, d, { appid: APPID, maxSteps: count })
      .steps.length, count);
    assert.throws(() => werun.decryptStepsWithKeys([k], iv, d,
      { appid: APPID, maxSteps: count - 1 }), werun.CapacityExceededError);
  }
  assert.throws(() => werun.decryptStepsWithKeys([KEY], IV, DATA,
    { appid: APPID, now: WATERMARK + 601, maxAge: 600 }), werun.WatermarkExpiredError);
  assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: APPID }).steps, STEPS);
});

// --- results --------------------------------------------------------------------------------

test('results are plain objects that serialise as JSON', () => {
  const data = werun.decryptSteps(KEY, IV, DATA, { appid: APPID });
  assert.deepEqual(Object.keys(data), ['steps', 'watermarkTimestamp']);
  assert.ok(Array.isArray(data.steps));
  assert.deepEqual(Object.keys(data.steps[0]), ['timestamp', 'step']);
  assert.deepEqual(JSON.parse(JSON.stringify(data)), { steps: STEPS, watermarkTimestamp: WATERMARK });
  // Each call builds its own result.
  const again = werun.decryptSteps(KEY, IV, DATA, { appid: APPID });
  assert.notEqual(again.steps, data.steps);
  again.steps[0].step = -1;
  assert.equal(data.steps[0].step, STEPS[0].step);
});

test('a payload without a watermark gives watermarkTimestamp null', () => {
  const v = byId('no-watermark-appid-skipped');
  const data = werun.decryptSteps(v.session_key, v.iv, v.encrypted_data, { appid: null });
  assert.equal(data.watermarkTimestamp, null);
  assert.equal(werun.decryptSteps(v.session_key, v.iv, v.encrypted_data,
    { appid: null, bigint: true }).watermarkTimestamp, null);
  const o = byId('open-data-skip-no-watermark');
  assert.equal(werun.openData(o.session_key, o.iv, o.encrypted_data, { appid: null })
    .watermarkTimestamp, null);
});

test('timestamps beyond 2**53: the nearest number, or exact with bigint: true', () => {
  const v = byId('extreme-values');
  const args = [v.session_key, v.iv, v.encrypted_data];
  const plain = werun.decryptSteps(...args, { appid: APPID });
  const exact = werun.decryptSteps(...args, { appid: APPID, bigint: true });
  assert.deepEqual(exact.steps.map((s) => s.timestamp), v.expect.steps.map(([t]) => BigInt(t)));
  // What JSON.parse makes of the same plaintext.
  const parsed = JSON.parse(werun.openData(...args, { appid: APPID }).json).stepInfoList;
  assert.deepEqual(plain.steps, parsed);
  assert.ok(plain.steps.some((s) => s.timestamp === 2 ** 63));
  assert.ok(plain.steps.some((s) => s.timestamp === -(2 ** 63)));
  assert.ok(plain.steps.some((s) => s.step === 2 ** 32 - 1));
});

test('more entries than DEFAULT_CAPACITY: every one, never a truncated list', () => {
  for (const count of [33, 100, 1000]) {
    const [k, iv, d] = encrypt(werunPlaintext(count));
    const data = werun.decryptSteps(k, iv, d, { appid: APPID });
    assert.equal(data.steps.length, count);
    assert.deepEqual(data.steps[count - 1], { timestamp: 1600000000 + 86400 * (count - 1),
      step: (count - 1) * 7 });
    assert.deepEqual(werun.decryptSteps(k, iv, d, { appid: APPID, maxSteps: count }), data);
    assert.deepEqual(werun.decryptSteps(k, iv, d, { appid: APPID, bigint: true }).steps
      .map((s) => Number(s.timestamp)), data.steps.map((s) => s.timestamp));
    assert.throws(() => werun.decryptSteps(k, iv, d, { appid: APPID, maxSteps: count - 1 }),
      werun.CapacityExceededError);
  }
});

test('long inputs: a scratch of their own, then the usual one again', () => {
  const count = 20000; // ~600 KB of plaintext, more than the kept scratch
  const [k, iv, d] = encrypt(werunPlaintext(count));
  assert.ok(d.length > 512 * 1024);
  assert.equal(werun.decryptSteps(k, iv, d, { appid: APPID }).steps.length, count);
  assert.equal(JSON.parse(werun.openData(k, iv, d, { appid: APPID }).json).stepInfoList.length,
    count);
  assert.equal(werun.diagnose(k, iv, d), 'WERUN_DATA');
  assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: APPID }).steps, STEPS);
  // 3 MB of base64 that is not ciphertext of this key.
  const junk = crypto.randomBytes(3 * 1024 * 1024).toString('base64');
  assert.throws(() => werun.decryptSteps(KEY, IV, junk, { appid: APPID }),
    werun.DecryptFailedError);
  assert.deepEqual(werun.decryptSteps(KEY, IV, DATA, { appid: APPID }).steps, STEPS);
});

test('openData returns the plaintext JSON of any open data', () => {
  const v = byId('open-data-phone');
  const opened = werun.openData(v.session_key, v.iv, v.encrypted_data, { appid: v.appid });
  assert.equal(opened.json, v.expect.json);
  assert.equal(typeof JSON.parse(opened.json), 'object');
  assert.deepEqual(Object.keys(opened), ['json', 'watermarkTimestamp']);
});

// --- errors ---------------------------------------------------------------------------------

test('an error names the public call in its stack, not the binding\'s internals', () => {
  let caught;
  try {
    werun.decryptSteps(KEY, IV, DATA, { appid: 'wx0' });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof werun.AppIdMismatchError);
  const lines = caught.stack.split('\n');
  assert.equal(lines[0], `AppIdMismatchError: ${caught.message}`);
  assert.ok(!caught.stack.includes(path.join('lib', 'errors.js')), caught.stack);
  assert.ok(lines[1].includes('api.test.js'), caught.stack);
});

test('statuses the API never returns still map to their classes', () => {
  // NULL_ARGUMENT and INVALID_ARGUMENT from the C call itself; INTERNAL cannot be provoked.
  const lib = koffi.load(werun.libraryPath);
  const diagnoseC = lib.func('uint32_t werun_diagnose(const char *, size_t, const char *, ' +
    'size_t, const char *, size_t, uint32_t, void *, size_t, void *)');
  const out = new Uint32Array(1);
  const scratch = Buffer.alloc(4096);
  const nullArgument = diagnoseC(null, 24, IV, IV.length, DATA, DATA.length, 0, scratch,
    scratch.length, out);
  const invalidArgument = diagnoseC(KEY, KEY.length, IV, IV.length, DATA, DATA.length, 1 << 7,
    scratch, scratch.length, out);
  assert.equal(nullArgument, werun.Status.NULL_ARGUMENT);
  assert.equal(invalidArgument, werun.Status.INVALID_ARGUMENT);
  assert.ok(errors.errorFor(nullArgument) instanceof werun.NullArgumentError);
  assert.ok(errors.errorFor(invalidArgument) instanceof werun.InvalidArgumentError);
  assert.ok(errors.errorFor(werun.Status.INTERNAL) instanceof werun.InternalError);
  assert.match(werun.statusMessage(werun.Status.INTERNAL), /./);
});

test('an unknown status is a plain WerunError', () => {
  const e = errors.errorFor(99);
  assert.equal(e.constructor, werun.WerunError);
  assert.equal(e.status, 99);
  assert.equal(e.code, 'WERUN_STATUS_UNKNOWN');
  assert.equal(e.message, werun.statusMessage(99));
  assert.equal(e.name, 'WerunError');
  assert.equal(e.wxCode, -41003); // the sample's catch-all failure
});

test('the DecryptFailedError message gives advice; diagnoses explain themselves', () => {
  assert.match(new werun.DecryptFailedError().message, /session_key/);
  for (const [name, value] of Object.entries(werun.Diagnosis)) {
    assert.equal(werun.diagnosisMessage(name), werun.diagnosisMessage(value));
    assert.ok(werun.diagnosisMessage(name).length > 10);
  }
  for (const bad of ['STALE', 'toString', null, undefined]) {
    assert.throws(() => werun.diagnosisMessage(bad), TypeError);
  }
  // Never truncated to 32 bits (reentrancy.test.js has the rest).
  for (const bad of [-1, 1.5, 2 ** 32 + 1]) {
    assert.throws(() => werun.diagnosisMessage(bad), RangeError);
  }
});

test('garbage in: only WerunError, never another exception or a crash', () => {
  let seed = 20240601;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \r\n\t%*\0é中\ud800';
  const randomText = () => {
    const n = Math.floor(random() * 80);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return random() < 0.3 ? Buffer.from(s) : s;
  };
  const seen = new Set();
  for (let i = 0; i < 3000; i++) {
    const args = [randomText(), randomText(), randomText()];
    if (random() < 0.5) args[0] = KEY;
    if (random() < 0.5) args[1] = IV;
    const r = random();
    if (r < 0.2) args[2] = DATA;
    else if (r < 0.4) args[2] = DATA.slice(0, 64 * Math.floor(1 + random() * 20)); // whole blocks
    else if (r < 0.6) args[2] = DATA.slice(0, 4 * Math.floor(random() * DATA.length / 4));
    for (const call of [
      () => werun.decryptSteps(...args, { appid: random() < 0.5 ? APPID : null }),
      () => werun.openData(...args, { appid: APPID, now: 1, maxAge: 1 }),
      () => werun.diagnose(...args),
    ]) {
      try {
        call();
        seen.add('ok');
      } catch (e) {
        assert.ok(e instanceof werun.WerunError, e.stack);
        seen.add(e.name);
      }
    }
  }
  for (const name of ['SessionKeyInvalidError', 'IvInvalidError', 'EncryptedDataInvalidError',
    'CiphertextLengthError', 'DecryptFailedError', 'ok']) {
    assert.ok(seen.has(name), `${name} never seen: ${[...seen]}`);
  }
});

// --- the module -----------------------------------------------------------------------------

test('versions: package, crate and library agree; the ABI is the header\'s', () => {
  const cargo = fs.readFileSync(path.join(REPO_DIR, 'Cargo.toml'), 'utf8');
  const crateVersion = /^version = "(.*)"/m.exec(cargo)[1];
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  assert.equal(pkg.version, crateVersion);
  assert.equal(werun.version, crateVersion);
  assert.equal(werun.libraryVersion, crateVersion);
  assert.equal(werun.ABI_VERSION, 1);
  assert.equal(werun.DEFAULT_CAPACITY, 32);
  assert.ok(fs.statSync(werun.libraryPath).isFile());
});

test('the module exports what index.d.ts declares', () => {
  const dts = fs.readFileSync(path.join(PACKAGE_DIR, 'index.d.ts'), 'utf8');
  const declared = new Set();
  for (const m of dts.matchAll(/^export (?:declare )?(?:function|const|class) (\w+)/gm)) {
    declared.add(m[1]);
  }
  assert.deepEqual([...declared].sort(), Object.keys(werun).sort());
});
