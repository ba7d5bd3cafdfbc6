'use strict';
// Every vector of tests/vectors/werun.json (the file the Rust, C, Python, Go and C++ tests
// read): status, error class, code and message, steps, watermark, JSON and diagnosis.

const test = require('node:test');
const assert = require('node:assert/strict');
const koffi = require('koffi');

const werun = require('..');
const { loadVectors, big, num, checks } = require('./helpers');

const file = loadVectors();
const VECTORS = file.vectors;
const STATUS_CODES = Object.fromEntries(file.statuses.map((s) => [s.name, s.code]));
const DIAGNOSIS_CODES = Object.fromEntries(file.diagnoses.map((d) => [d.name, d.code]));

// Written out here, not derived from the binding, so that a wrong mapping there fails.
const ERROR_CLASS_NAMES = {
  NULL_ARGUMENT: 'NullArgumentError',
  SESSION_KEY_INVALID: 'SessionKeyInvalidError',
  IV_INVALID: 'IvInvalidError',
  ENCRYPTED_DATA_INVALID: 'EncryptedDataInvalidError',
  CIPHERTEXT_LENGTH: 'CiphertextLengthError',
  BUFFER_TOO_SMALL: 'BufferTooSmallError',
  DECRYPT_FAILED: 'DecryptFailedError',
  APPID_MISMATCH: 'AppIdMismatchError',
  WATERMARK_EXPIRED: 'WatermarkExpiredError',
  CAPACITY_EXCEEDED: 'CapacityExceededError',
  INTERNAL: 'InternalError',
  INVALID_ARGUMENT: 'InvalidArgumentError',
};

// The library's messages, read by a koffi handle of the test's own.
const lib = koffi.load(werun.libraryPath);
const statusStr = lib.func('const char *werun_status_str(uint32_t)');
const statusWxCode = lib.func('int32_t werun_status_wx_code(uint32_t)');
const scratchLen = lib.func('size_t werun_scratch_len(size_t)');
const rawDecryptSteps = lib.func(
  'uint32_t werun_decrypt_steps(const char *, size_t, const char *, size_t, const char *, ' +
  'size_t, const void *, void *, size_t, void *, size_t, void *)');

/** Asserts that `fn` throws the error of status `name`, and everything the error carries. */
function assertFails(fn, name) {
  const cls = werun[ERROR_CLASS_NAMES[name]];
  assert.equal(typeof cls, 'function', `werun.${ERROR_CLASS_NAMES[name]}`);
  let caught;
  assert.throws(fn, (e) => {
    caught = e;
    return true;
  });
  assert.equal(caught.constructor, cls, `${caught.name} thrown, ${cls.name} expected`);
  assert.ok(caught instanceof werun.WerunError);
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, ERROR_CLASS_NAMES[name]);
  assert.equal(caught.status, STATUS_CODES[name]);
  assert.equal(caught.code, `WERUN_STATUS_${name}`);
  assert.equal(caught.message, statusStr(STATUS_CODES[name]));
  assert.equal(caught.wxCode, statusWxCode(STATUS_CODES[name]));
  assert.equal(cls.status, STATUS_CODES[name]);
  return caught;
}

function expectedSteps(v) {
  return v.expect.steps.map(([t, s]) => ({ timestamp: num(t), step: s }));
}

function expectedBigSteps(v) {
  return v.expect.steps.map(([t, s]) => ({ timestamp: big(t), step: s }));
}

function expectedWatermark(v, asBigint) {
  const w = v.expect.watermark_timestamp;
  if (w === null) return null;
  return asBigint ? big(w) : num(w);
}

/** The vector through the C function with the given scratch size (what the API cannot do). */
function rawCall(v, scratchSize) {
  const appid = v.appid === null ? null : Buffer.from(v.appid);
  const pointer = koffi.alloc('uint8_t', 40 + 64);
  try {
    const view = new DataView(koffi.view(pointer, 40 + 64));
    let flags = v.strict_base64 ? 2 : 0;
    if (appid === null) {
      flags |= 1;
    } else {
      view.setBigUint64(0, pointer + 40n, true);
      new Uint8Array(view.buffer, 40, appid.length).set(appid);
    }
    view.setBigUint64(8, BigInt(appid === null ? 0 : appid.length), true);
    if (v.now !== null) {
      flags |= 4;
      view.setBigInt64(24, big(v.now), true);
      view.setBigUint64(32, big(v.max_age), true);
    }
    view.setUint32(16, flags, true);
    const steps = Buffer.alloc(16 * (v.capacity + 1), 0xa5);
    const summary = Buffer.alloc(24, 0xa5);
    const status = rawDecryptSteps(v.session_key, Buffer.byteLength(v.session_key), v.iv,
      Buffer.byteLength(v.iv), v.encrypted_data, Buffer.byteLength(v.encrypted_data), pointer,
      Buffer.alloc(scratchSize), scratchSize, steps, v.capacity, summary);
    assert.ok(steps.subarray(16 * v.capacity).every((b) => b === 0xa5), 'wrote past capacity');
    return { status, steps, summary };
  } finally {
    koffi.free(pointer);
  }
}

test('the vector file covers every status the library can return for data', () => {
  const seen = new Set(VECTORS.map((v) => v.expect.status));
  for (const name of Object.keys(STATUS_CODES)) {
    if (['NULL_ARGUMENT', 'INTERNAL', 'INVALID_ARGUMENT'].includes(name)) continue;
    assert.ok(seen.has(name), name);
  }
});

test('status and diagnosis values equal the vector file', () => {
  assert.deepEqual({ ...werun.Status }, STATUS_CODES);
  assert.deepEqual({ ...werun.Diagnosis }, DIAGNOSIS_CODES);
});

test('every status but OK has an error class of its own, with its code and message', () => {
  const classes = new Set();
  for (const [name, code] of Object.entries(STATUS_CODES)) {
    if (name === 'OK') continue;
    const cls = werun[ERROR_CLASS_NAMES[name]];
    assert.ok(cls && cls.prototype instanceof werun.WerunError, name);
    assert.equal(cls.status, code);
    assert.equal(cls.code, `WERUN_STATUS_${name}`);
    classes.add(cls);
    const e = new cls();
    assert.equal(e.status, code);
    assert.equal(e.code, `WERUN_STATUS_${name}`);
    assert.equal(e.message, statusStr(code));
    assert.equal(e.name, cls.name);
    assert.equal(werun.statusMessage(code), statusStr(code));
    assert.equal(e.wxCode, statusWxCode(code));
    assert.equal(cls.wxCode, statusWxCode(code));
    assert.equal(werun.statusWxCode(code), statusWxCode(code));
  }
  assert.equal(classes.size, Object.keys(STATUS_CODES).length - 1);
});

for (const v of VECTORS.filter((x) => x.api === 'steps')) {
  test(`decryptSteps: ${v.id} -> ${v.expect.status}`, () => {
    const args = [v.session_key, v.iv, v.encrypted_data];
    const status = v.expect.status;
    if (v.scratch_len !== null) {
      // The API sizes its own scratch: only the C call can be given too little.
      const raw = rawCall(v, v.scratch_len);
      assert.equal(raw.status, STATUS_CODES[status]);
      if (status !== 'OK') {
        for (let i = 0; i < v.capacity; i++) {
          // Every entry's fields zeroed (not its 4 bytes of padding).
          assert.equal(raw.steps.readBigInt64LE(16 * i), 0n);
          assert.equal(raw.steps.readUInt32LE(16 * i + 8), 0);
        }
        assert.ok(raw.summary.every((b) => b === 0xa5), 'summary written on failure');
        assert.equal(werun.decryptSteps(...args, checks(v)).steps.length, 31);
        return;
      }
    }
    if (status === 'OK') {
      const data = werun.decryptSteps(...args, { ...checks(v), maxSteps: v.capacity });
      assert.deepEqual(data, {
        steps: expectedSteps(v),
        watermarkTimestamp: expectedWatermark(v, false),
      });
      // Without maxSteps: the same; with bigint: the exact integers.
      assert.deepEqual(werun.decryptSteps(...args, checks(v)), data);
      assert.deepEqual(werun.decryptSteps(...args, { ...checks(v), bigint: true }), {
        steps: expectedBigSteps(v),
        watermarkTimestamp: expectedWatermark(v, true),
      });
      return;
    }
    assertFails(() => werun.decryptSteps(...args, { ...checks(v), maxSteps: v.capacity }),
      status);
    if (status === 'CAPACITY_EXCEEDED') {
      // Without maxSteps every entry comes back, never a truncated list.
      const data = werun.decryptSteps(...args, checks(v));
      assert.ok(data.steps.length > v.capacity);
      assert.deepEqual(
        werun.decryptSteps(...args, { ...checks(v), maxSteps: data.steps.length }), data);
    } else {
      assertFails(() => werun.decryptSteps(...args, checks(v)), status);
    }
  });
}

for (const v of VECTORS.filter((x) => x.api === 'open_data')) {
  test(`openData: ${v.id} -> ${v.expect.status}`, () => {
    const args = [v.session_key, v.iv, v.encrypted_data];
    if (v.expect.status === 'OK') {
      assert.deepEqual(werun.openData(...args, checks(v)), {
        json: v.expect.json,
        watermarkTimestamp: expectedWatermark(v, false),
      });
      assert.deepEqual(werun.openData(...args, { ...checks(v), bigint: true }), {
        json: v.expect.json,
        watermarkTimestamp: expectedWatermark(v, true),
      });
    } else {
      assertFails(() => werun.openData(...args, checks(v)), v.expect.status);
    }
  });
}

for (const v of VECTORS) {
  if (v.scratch_len !== null) continue; // about the C call's scratch size: diagnose sizes its own
  if (v.api !== 'steps' && v.api !== 'open_data') continue;
  test(`diagnose: ${v.id} -> ${v.expect.diagnosis || v.expect.status}`, () => {
    const args = [v.session_key, v.iv, v.encrypted_data, { strictBase64: v.strict_base64 }];
    if (v.expect.diagnosis === null) {
      assertFails(() => werun.diagnose(...args), v.expect.status);
    } else {
      const cause = werun.diagnose(...args);
      assert.equal(cause, v.expect.diagnosis);
      assert.equal(werun.Diagnosis[cause], DIAGNOSIS_CODES[v.expect.diagnosis]);
      assert.ok(werun.diagnosisMessage(cause).length > 10);
    }
  });
}

for (const v of file.keys_vectors || []) {
  test(`decryptStepsWithKeys: ${v.id} -> ${v.expect.status}`, () => {
    // The other fields as in vectors; here only the appid is given.
    const options = { appid: v.appid };
    const call = (keys, extra = {}) =>
      werun.decryptStepsWithKeys(keys, v.iv, v.encrypted_data, { ...options, ...extra });
    if (v.expect.status === 'OK') {
      const expected = {
        steps: expectedSteps(v),
        watermarkTimestamp: expectedWatermark(v, false),
        keyIndex: v.expect.key_index,
      };
      assert.deepEqual(call(v.session_keys), expected);
      assert.deepEqual(call(v.session_keys.map((k) => Buffer.from(k))), expected);
      assert.deepEqual(call(v.session_keys, { maxSteps: 31 }), expected);
      assert.deepEqual(call(v.session_keys, { bigint: true }), {
        steps: expectedBigSteps(v),
        watermarkTimestamp: expectedWatermark(v, true),
        keyIndex: v.expect.key_index,
      });
      // The key that worked, alone, through decryptSteps: the same data.
      const alone = werun.decryptSteps(v.session_keys[v.expect.key_index], v.iv,
        v.encrypted_data, options);
      assert.deepEqual({ ...alone, keyIndex: v.expect.key_index }, expected);
      assertFails(() => call(v.session_keys, { maxSteps: 30 }), 'CAPACITY_EXCEEDED');
    } else {
      assertFails(() => call(v.session_keys), v.expect.status);
    }
  });
}

test('openData of WeRun payloads is their plaintext', () => {
  const ok = VECTORS.filter((v) => v.api === 'steps' && v.expect.status === 'OK' &&
    v.id !== 'extreme-values');
  assert.ok(ok.length > 10);
  for (const v of ok) {
    const opened = werun.openData(v.session_key, v.iv, v.encrypted_data, checks(v));
    const doc = JSON.parse(opened.json);
    assert.deepEqual(doc.stepInfoList.map((e) => [e.timestamp, e.step]), v.expect.steps, v.id);
  }
});

test('the sample decrypts to its 31 entries', () => {
  const s = file.sample;
  const data = werun.decryptSteps(s.session_key, s.iv, s.encrypted_data, { appid: s.appid });
  assert.equal(data.steps.length, 31);
  assert.deepEqual(data.steps.map((e) => [e.timestamp, e.step]), s.expect.steps);
  assert.equal(data.watermarkTimestamp, s.expect.watermark_timestamp);
  assert.ok(scratchLen(s.encrypted_data.length) >= s.encrypted_data.length * 3 / 4 - 2);
});
