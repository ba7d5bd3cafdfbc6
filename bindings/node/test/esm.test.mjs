// The ES module entry point: the same functions, classes and values as require('werun'),
// named and default exports.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import werunDefault, * as werun from 'werun';
import { decryptSteps, AppIdMismatchError, WerunError, Status } from 'werun';

const require = createRequire(import.meta.url);
const cjs = require('werun');
const { loadVectors } = require('./helpers.js');

test('import and require give the same module', () => {
  assert.equal(werunDefault, cjs);
  const named = Object.keys(werun).filter((k) => k !== 'default').sort();
  assert.deepEqual(named, Object.keys(cjs).sort());
  for (const name of named) assert.equal(werun[name], cjs[name], name);
});

test('decrypts, and throws the classes require() sees', () => {
  const s = loadVectors().sample;
  const data = decryptSteps(s.session_key, s.iv, s.encrypted_data, { appid: s.appid });
  assert.equal(data.steps.length, 31);
  assert.throws(() => decryptSteps(s.session_key, s.iv, s.encrypted_data, { appid: 'wx' }),
    (e) => e instanceof AppIdMismatchError && e instanceof cjs.AppIdMismatchError &&
      e instanceof WerunError && e.status === Status.APPID_MISMATCH);
});
