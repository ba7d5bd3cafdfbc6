// The ES module entry point of the installed package (see smoke.test.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import werun, { decryptSteps, AppIdMismatchError, libraryPath } from 'werun';

const fixtures = JSON.parse(fs.readFileSync(new URL('./fixtures.json', import.meta.url), 'utf8'));

test('import: the bundled sample, and the AppId error', () => {
  const s = fixtures.sample;
  assert.equal(decryptSteps(s.session_key, s.iv, s.encrypted_data, { appid: s.appid }).steps
    .length, 31);
  assert.throws(() => decryptSteps(s.session_key, s.iv, s.encrypted_data, { appid: 'wx0' }),
    AppIdMismatchError);
  assert.equal(libraryPath, werun.libraryPath);
  assert.match(libraryPath, /node_modules\/werun\/prebuilds\//);
});
