'use strict';
// Re-entrancy: JavaScript that runs while the binding reads its arguments (a getter on an
// option, a Proxy, a Uint8Array subclass's accessors, valueOf/toString/Symbol.toPrimitive)
// and calls werun again must not change what the outer call checks, nor make it read memory
// a nested call wrote or freed. Every such hook below calls every entry point with other,
// more permissive options (meddle()), and the outer call must still refuse a stale watermark,
// another appid, non-strict base64 and too many entries, and return what it returns without
// the hooks. run-valgrind.sh runs this file under valgrind (memcheck) with WERUN_QUICK=1.
//
// The first test must stay first: it relies on a fresh module (node --test runs each file in
// a process of its own) to groom the old binding's options cache.

const test = require('node:test');
const assert = require('node:assert/strict');
const werun = require('..');
const { loadVectors } = require('./helpers');

const QUICK = process.env.WERUN_QUICK === '1';
const SAMPLE = loadVectors().sample;
const KEY = SAMPLE.session_key;
const IV = SAMPLE.iv;
const DATA = SAMPLE.encrypted_data;
const APPID = SAMPLE.appid;
const STEPS = SAMPLE.expect.steps.map(([timestamp, step]) => ({ timestamp, step }));
const WATERMARK = SAMPLE.expect.watermark_timestamp;
const OTHER = 'wx0000000000000000'; // another appid, as long as APPID
assert.equal(OTHER.length, APPID.length);
const SPACED = DATA.replace(/\+/g, ' '); // accepted only without strictBase64
assert.notEqual(SPACED, DATA);
const STALE_NOW = WATERMARK + 1000000; // 11.6 days after the watermark
const JSON_TEXT = werun.openData(KEY, IV, DATA, { appid: APPID }).json;

/** Runs fn; a WerunError is an outcome like any other, anything else a failure. */
function quietly(fn) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof werun.WerunError)) throw e;
  }
}

let meddled = 0;

/**
 * What every hook does: calls werun with other options, through every entry point: a long
 * freshness window, no appid check, repaired base64, a large maxSteps, other candidate keys,
 * and (not QUICK) 70 appids, more than the old binding's options cache kept.
 */
function meddle() {
  meddled++;
  quietly(() => werun.decryptSteps(KEY, IV, SPACED,
    { appid: APPID, now: WATERMARK, maxAge: 2 ** 40, maxSteps: 1000 }));
  quietly(() => werun.decryptSteps(KEY, IV, DATA,
    { appid: null, now: WATERMARK, maxAge: 2n ** 64n - 1n, bigint: true }));
  quietly(() => werun.decryptStepsWithKeys([KEY, 'AAAAAAAAAAAAAAAAAAAAAA=='], IV, SPACED,
    { appid: null, now: WATERMARK, maxAge: 2 ** 40, maxSteps: 100 }));
  quietly(() => werun.openData(KEY, IV, SPACED, { appid: APPID, now: WATERMARK, maxAge: 2 ** 40 }));
  quietly(() => werun.openData(KEY, IV, DATA, { appid: null }));
  quietly(() => werun.diagnose(KEY, IV, SPACED));
  quietly(() => werun.diagnosisMessage(0));
  quietly(() => werun.statusMessage(0));
  for (let i = 0; i < (QUICK ? 3 : 70); i++) {
    quietly(() => werun.decryptSteps(KEY, IV, DATA, { appid: `wx${i}`.padEnd(40, '0') }));
  }
  quietly(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID }));
  quietly(() => werun.decryptSteps(KEY, IV, SPACED, { appid: APPID, strictBase64: false }));
}

/** A copy of `options` whose property `hooked` is a getter that meddles; counts its reads. */
function withGetter(options, hooked) {
  const reads = { count: 0 };
  const copy = {};
  for (const [name, value] of Object.entries(options)) {
    if (name === hooked) {
      Object.defineProperty(copy, name, {
        enumerable: true,
        get() {
          reads.count++;
          meddle();
          return value;
        },
      });
    } else {
      copy[name] = value;
    }
  }
  return [copy, reads];
}

/** A Proxy over `options` whose every trap meddles (and counts the gets of each name). */
function meddlingProxy(options) {
  const gets = {};
  const proxy = new Proxy({ ...options }, {
    get(target, name, receiver) {
      if (typeof name === 'string') gets[name] = (gets[name] || 0) + 1;
      meddle();
      return Reflect.get(target, name, receiver);
    },
    has(target, name) {
      meddle();
      return Reflect.has(target, name);
    },
    ownKeys(target) {
      meddle();
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, name) {
      meddle();
      return Reflect.getOwnPropertyDescriptor(target, name);
    },
    getPrototypeOf(target) {
      meddle();
      return Reflect.getPrototypeOf(target);
    },
  });
  return [proxy, gets];
}

/** A Uint8Array whose accessors meddle and lie: the binding must not consult them. */
class Meddling extends Uint8Array {
  get byteLength() {
    meddle();
    return 3;
  }

  get length() {
    meddle();
    return 3;
  }

  get byteOffset() {
    meddle();
    return 1;
  }

  get buffer() {
    meddle();
    return new ArrayBuffer(3);
  }
}

function meddling(text) {
  const bytes = Buffer.from(text);
  const out = new Meddling(bytes.length);
  Uint8Array.prototype.set.call(out, bytes);
  return out;
}

/** Asserts what `call` must give: `expect` is an error class or a check of the value. */
function expectOutcome(call, expect, what) {
  if (typeof expect === 'function' && expect.prototype instanceof Error) {
    assert.throws(call, (e) => {
      assert.equal(e.constructor, expect, `${what}: ${e.constructor.name}: ${e.message}`);
      return true;
    }, what);
  } else {
    expect(call(), what);
  }
}

const isSteps = (result, what) => assert.deepEqual(result,
  { steps: STEPS, watermarkTimestamp: WATERMARK }, what);
const isStepsWithKey = (index) => (result, what) => assert.deepEqual(result,
  { steps: STEPS, watermarkTimestamp: WATERMARK, keyIndex: index }, what);
const isJson = (result, what) => assert.deepEqual(result,
  { json: JSON_TEXT, watermarkTimestamp: WATERMARK }, what);

// Every option of each entry point is written out in each case (null or undefined where the
// case does not use it), so that each can carry the getter.
const STEPS_CASES = [
  ['a stale watermark under maxAge: 10', DATA,
    { appid: APPID, now: STALE_NOW, maxAge: 10, strictBase64: false, maxSteps: null, bigint: false },
    werun.WatermarkExpiredError],
  ['another appid (no freshness)', DATA,
    { appid: OTHER, now: null, maxAge: null, strictBase64: false, maxSteps: null, bigint: false },
    werun.AppIdMismatchError],
  ['another appid (strict, no freshness)', DATA,
    { appid: OTHER, now: undefined, maxAge: undefined, strictBase64: true, maxSteps: undefined,
      bigint: undefined },
    werun.AppIdMismatchError],
  ['another appid, as bytes, with freshness', DATA,
    { appid: Buffer.from(OTHER), now: WATERMARK, maxAge: 60, strictBase64: false, maxSteps: 40,
      bigint: false },
    werun.AppIdMismatchError],
  ['repaired base64 under strictBase64', SPACED,
    { appid: APPID, now: null, maxAge: null, strictBase64: true, maxSteps: null, bigint: false },
    werun.EncryptedDataInvalidError],
  ['maxSteps: 30 of 31 entries', DATA,
    { appid: APPID, now: WATERMARK + 5, maxAge: 10, strictBase64: false, maxSteps: 30,
      bigint: false },
    werun.CapacityExceededError],
  ['every check passing', DATA,
    { appid: APPID, now: WATERMARK + 5, maxAge: 10, strictBase64: true, maxSteps: 31,
      bigint: false },
    isSteps],
];

const OPEN_DATA_CASES = STEPS_CASES
  .filter(([name]) => !name.startsWith('maxSteps'))
  .map(([name, data, { maxSteps, ...options }, expect]) =>
    [name, data, options, expect === isSteps ? isJson : expect]);

// --- the old options cache, freed under the call that used it --------------------------------

test('a getter that churns the options cache cannot make a call accept another appid', () => {
  // The old binding kept options without freshness in a cache that it emptied (koffi.free)
  // when it held 64: a getter read after the outer call took its pointer could free it, and
  // the next options of the same size took its memory (the right appid, non-strict).
  let reads = 0;
  const options = { appid: OTHER, strictBase64: true };
  Object.defineProperty(options, 'maxSteps', {
    enumerable: true,
    get() {
      reads++;
      for (let i = 0; i < 70; i++) {
        quietly(() => werun.decryptSteps(KEY, IV, DATA, { appid: `wx${i}`.padEnd(40, '0') }));
      }
      quietly(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID }));
      return undefined;
    },
  });
  assert.throws(() => werun.decryptSteps(KEY, IV, DATA, options), werun.AppIdMismatchError);
  assert.equal(reads, 1);
});

// --- getters on every option ----------------------------------------------------------------

for (const [name, data, options, expect] of STEPS_CASES) {
  test(`decryptSteps, ${name}: a meddling getter on any option changes nothing`, () => {
    expectOutcome(() => werun.decryptSteps(KEY, IV, data, options), expect, 'without hooks');
    for (const hooked of Object.keys(options)) {
      const [hookedOptions, reads] = withGetter(options, hooked);
      const before = meddled;
      expectOutcome(() => werun.decryptSteps(KEY, IV, data, hookedOptions), expect, hooked);
      assert.equal(reads.count, 1, `${hooked} read ${reads.count} times`);
      assert.equal(meddled, before + 1);
    }
  });

  test(`decryptStepsWithKeys, ${name}: a meddling getter on any option or key changes nothing`,
    () => {
      const expectKeys = expect === isSteps ? isStepsWithKey(1) : expect;
      const keys = ['AAAAAAAAAAAAAAAAAAAAAA==', KEY];
      expectOutcome(() => werun.decryptStepsWithKeys(keys, IV, data, options), expectKeys,
        'without hooks');
      for (const hooked of Object.keys(options)) {
        const [hookedOptions, reads] = withGetter(options, hooked);
        expectOutcome(() => werun.decryptStepsWithKeys(keys, IV, data, hookedOptions),
          expectKeys, hooked);
        assert.equal(reads.count, 1, `${hooked} read ${reads.count} times`);
      }
      // Keys behind getters, read once each, and a Proxy of the array.
      const hookedKeys = [];
      const keyReads = [0, 0];
      for (let i = 0; i < 2; i++) {
        Object.defineProperty(hookedKeys, i, {
          enumerable: true,
          get() {
            keyReads[i]++;
            meddle();
            return i === 0 ? keys[0] : Buffer.from(keys[1]);
          },
        });
      }
      expectOutcome(() => werun.decryptStepsWithKeys(hookedKeys, IV, data, options), expectKeys,
        'keys behind getters');
      assert.deepEqual(keyReads, [1, 1]);
      const gets = {};
      const proxied = new Proxy(keys.slice(), {
        get(target, key, receiver) {
          if (typeof key === 'string') gets[key] = (gets[key] || 0) + 1;
          meddle();
          return Reflect.get(target, key, receiver);
        },
      });
      expectOutcome(() => werun.decryptStepsWithKeys(proxied, IV, data, options), expectKeys,
        'a Proxy of the keys');
      assert.deepEqual([gets.length, gets[0], gets[1]], [1, 1, 1], JSON.stringify(gets));
    });

  test(`decryptSteps, ${name}: a meddling Proxy of the options changes nothing`, () => {
    const [proxy, gets] = meddlingProxy(options);
    const before = meddled;
    expectOutcome(() => werun.decryptSteps(KEY, IV, data, proxy), expect, 'Proxy');
    assert.ok(meddled > before, 'the traps were not called');
    for (const key of Object.keys(options)) assert.equal(gets[key], 1, `${key} read ${gets[key]}`);
  });
}

for (const [name, data, options, expect] of OPEN_DATA_CASES) {
  test(`openData, ${name}: a meddling getter on any option, or a Proxy, changes nothing`, () => {
    expectOutcome(() => werun.openData(KEY, IV, data, options), expect, 'without hooks');
    for (const hooked of Object.keys(options)) {
      const [hookedOptions, reads] = withGetter(options, hooked);
      expectOutcome(() => werun.openData(KEY, IV, data, hookedOptions), expect, hooked);
      assert.equal(reads.count, 1, `${hooked} read ${reads.count} times`);
    }
    const [proxy, gets] = meddlingProxy(options);
    expectOutcome(() => werun.openData(KEY, IV, data, proxy), expect, 'Proxy');
    for (const key of Object.keys(options)) assert.equal(gets[key], 1, `${key} read ${gets[key]}`);
  });
}

test('diagnose: a meddling getter or Proxy on strictBase64 changes nothing', () => {
  for (const [data, strictBase64, expect] of [[SPACED, true, werun.EncryptedDataInvalidError],
    [SPACED, false, 'WERUN_DATA'], [DATA, true, 'WERUN_DATA']]) {
    const check = typeof expect === 'string'
      ? (result, what) => assert.equal(result, expect, what) : expect;
    const [hooked, reads] = withGetter({ strictBase64 }, 'strictBase64');
    expectOutcome(() => werun.diagnose(KEY, IV, data, hooked), check, 'getter');
    assert.equal(reads.count, 1);
    const [proxy, gets] = meddlingProxy({ strictBase64 });
    expectOutcome(() => werun.diagnose(KEY, IV, data, proxy), check, 'Proxy');
    assert.equal(gets.strictBase64, 1);
  }
});

// --- arguments: accessors of Uint8Array subclasses, and objects that convert ----------------

test('text arguments: a Uint8Array subclass\'s meddling, lying accessors are not consulted', () => {
  const before = meddled;
  const m = meddling;
  isSteps(werun.decryptSteps(m(KEY), m(IV), m(DATA), { appid: m(APPID), strictBase64: true }),
    'decryptSteps');
  assert.throws(() => werun.decryptSteps(m(KEY), m(IV), m(DATA), { appid: m(OTHER) }),
    werun.AppIdMismatchError);
  assert.throws(() => werun.decryptSteps(m(KEY), m(IV), m(SPACED),
    { appid: APPID, strictBase64: true }), werun.EncryptedDataInvalidError);
  isStepsWithKey(1)(werun.decryptStepsWithKeys([m('AAAAAAAAAAAAAAAAAAAAAA=='), m(KEY)], m(IV),
    m(DATA), { appid: m(APPID) }), 'decryptStepsWithKeys');
  assert.throws(() => werun.decryptStepsWithKeys([m(KEY)], m(IV), m(DATA), { appid: m(OTHER) }),
    werun.AppIdMismatchError);
  isJson(werun.openData(m(KEY), m(IV), m(DATA), { appid: m(APPID) }), 'openData');
  assert.equal(werun.diagnose(m(KEY), m(IV), m(DATA)), 'WERUN_DATA');
  assert.equal(meddled, before, 'an accessor of the subclass was called');
});

test('a getter that detaches or shrinks a byte argument: its length is read after the getter',
  () => {
    // The old binding measured the arguments first: a getter that shrank the buffer left it
    // passing the old length (the library read past the end), one that detached it a NULL.
    const same = (call, expected, what) => assert.throws(call, (e) => {
      assert.equal(e.constructor, expected.constructor, `${what}: ${e.message}`);
      return true;
    }, what);
    const outcome = (call) => {
      try {
        call();
      } catch (e) {
        return e;
      }
      assert.fail('no error');
    };
    for (const [what, make] of [
      // (u, options): options(appid) gives the call's options
      ['encryptedData', (u, options) => () => werun.decryptSteps(KEY, IV, u, options(APPID))],
      ['encryptedData of openData', (u, options) => () => werun.openData(KEY, IV, u,
        options(APPID))],
      ['a candidate key', (u, options) => () => werun.decryptStepsWithKeys([u], IV, DATA,
        options(APPID))],
      ['the appid', (u, options) => () => werun.decryptSteps(KEY, IV, DATA, options(u))],
    ]) {
      const source = Buffer.from(what === 'a candidate key' ? KEY
        : what === 'the appid' ? APPID : DATA);
      for (const [how, change, left] of [
        ['shrunk to 8 bytes', (ab) => ab.resize(8), 8],
        ['detached', (ab) => structuredClone(ab, { transfer: [ab] }), 0],
      ]) {
        const ab = new ArrayBuffer(source.length, { maxByteLength: 1 << 16 });
        const bytes = new Uint8Array(ab);
        bytes.set(source);
        const options = (appid) => ({
          appid,
          get strictBase64() {
            change(ab);
            return false;
          },
        });
        const prefix = new Uint8Array(source.subarray(0, left));
        const expected = outcome(make(prefix, (appid) => ({ appid })));
        same(make(bytes, options), expected, `${what} ${how}`);
      }
    }
  });

test('objects that convert to a primitive are refused without converting them', () => {
  let conversions = 0;
  const converting = (value) => ({
    valueOf() {
      conversions++;
      meddle();
      return value;
    },
    toString() {
      conversions++;
      meddle();
      return String(value);
    },
    [Symbol.toPrimitive]() {
      conversions++;
      meddle();
      return value;
    },
  });
  const base = { appid: APPID, now: WATERMARK, maxAge: 10 };
  const bad = [
    () => werun.decryptSteps(converting(KEY), IV, DATA, base),
    () => werun.decryptSteps(KEY, converting(IV), DATA, base),
    () => werun.decryptSteps(KEY, IV, converting(DATA), base),
    () => werun.decryptSteps(KEY, IV, DATA, { ...base, appid: converting(APPID) }),
    () => werun.decryptSteps(KEY, IV, DATA, { ...base, now: converting(WATERMARK) }),
    () => werun.decryptSteps(KEY, IV, DATA, { ...base, maxAge: converting(10) }),
    () => werun.decryptSteps(KEY, IV, DATA, { ...base, maxSteps: converting(40) }),
    () => werun.decryptSteps(KEY, IV, DATA, { ...base, strictBase64: converting(true) }),
    () => werun.decryptSteps(KEY, IV, DATA, { ...base, bigint: converting(false) }),
    () => werun.decryptStepsWithKeys([converting(KEY)], IV, DATA, base),
    () => werun.openData(KEY, IV, DATA, { ...base, now: converting(WATERMARK) }),
    () => werun.diagnose(KEY, IV, DATA, { strictBase64: converting(true) }),
    () => werun.diagnosisMessage(converting(1)),
    () => werun.statusMessage(converting(1)),
    () => werun.statusWxCode(converting(2)),
  ];
  for (const call of bad) {
    assert.throws(call, TypeError, String(call));
  }
  assert.equal(conversions, 0, 'valueOf, toString or Symbol.toPrimitive was called');
});

// --- status and diagnosis codes -------------------------------------------------------------

test('status and diagnosis codes: integers from 0 to 2**32-1, else a RangeError', () => {
  const lib = require('../lib/ffi').fns;
  for (const [fn, c] of [[werun.diagnosisMessage, lib.werun_diagnosis_str],
    [werun.statusMessage, lib.werun_status_str], [werun.statusWxCode, lib.werun_status_wx_code]]) {
    for (const good of [0, 1, 5, 12, 99, 2 ** 32 - 1]) assert.equal(fn(good), c(good), fn.name);
    for (const bad of [2 ** 32, 2 ** 32 + 1, 2 ** 53, -1, -0.5, 1.5, NaN, Infinity, -Infinity]) {
      assert.throws(() => fn(bad), RangeError, `${fn.name}(${bad})`);
    }
    for (const bad of ['1', 1n, null, undefined, {}, [1], true]) {
      assert.throws(() => fn(bad), TypeError, `${fn.name}(${String(bad)})`);
    }
  }
  // 2**32 + 1 is not 1.
  assert.notEqual(werun.statusMessage(1), werun.statusMessage(2 ** 32 - 1));
  assert.equal(werun.diagnosisMessage('GARBLED'), werun.diagnosisMessage(werun.Diagnosis.GARBLED));
  assert.throws(() => werun.diagnosisMessage('STALE'), TypeError);
});

test('after all that meddling, plain calls still give the plain results', () => {
  assert.ok(meddled > 0);
  isSteps(werun.decryptSteps(KEY, IV, DATA, { appid: APPID }), 'decryptSteps');
  isSteps(werun.decryptSteps(KEY, IV, SPACED, { appid: APPID }), 'repaired base64');
  isJson(werun.openData(KEY, IV, DATA, { appid: APPID }), 'openData');
  assert.throws(() => werun.decryptSteps(KEY, IV, DATA, { appid: APPID, now: STALE_NOW,
    maxAge: 10 }), werun.WatermarkExpiredError);
});
