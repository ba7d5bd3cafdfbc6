'use strict';
// Run by test-pack.sh inside a fresh npm project in a temporary folder outside the checkout,
// after `npm install werun-<version>.tgz`, with cargo off PATH and WERUN_LIBRARY unset:
// the installed package must work with the library its tarball carries.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const werun = require('werun');

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures.json'), 'utf8'));
const here = fs.realpathSync(__dirname);

test('the installed package and its bundled library are used', () => {
  assert.equal(require.resolve('werun'), path.join(here, 'node_modules', 'werun', 'index.js'));
  assert.equal(werun.libraryPath, path.join(here, 'node_modules', 'werun', 'prebuilds',
    `${process.platform}-${process.arch}`, 'libwerun.so'));
  assert.equal(require.resolve('koffi').startsWith(path.join(here, 'node_modules', 'koffi')),
    true);
  assert.equal(werun.libraryVersion, werun.version);
  assert.equal(process.env.WERUN_LIBRARY, undefined);
});

test('the bundled sample: 31 entries', () => {
  const s = fixtures.sample;
  const data = werun.decryptSteps(s.session_key, s.iv, s.encrypted_data, { appid: s.appid });
  assert.equal(data.steps.length, 31);
  assert.deepEqual(data.steps.map((e) => [e.timestamp, e.step]), s.expect.steps);
  assert.equal(data.watermarkTimestamp, s.expect.watermark_timestamp);
});

test("WeChat's official demo vector through openData", () => {
  const d = fixtures.demo;
  const opened = werun.openData(d.sessionKey, d.iv, d.encryptedData, { appid: d.appId });
  assert.equal(opened.json, d.plaintext);
  assert.equal(JSON.parse(opened.json).nickName, 'Band');
  assert.equal(opened.watermarkTimestamp, 1477314187);
});

test('a wrong appid: the AppId error', () => {
  const s = fixtures.sample;
  assert.throws(() => werun.decryptSteps(s.session_key, s.iv, s.encrypted_data,
    { appid: 'wx0000000000000000' }), (e) => e instanceof werun.AppIdMismatchError &&
    e instanceof werun.WerunError && e.code === 'WERUN_STATUS_APPID_MISMATCH' && e.status === 8 &&
    /appid/.test(e.message));
  const d = fixtures.demo;
  assert.throws(() => werun.openData(d.sessionKey, d.iv, d.encryptedData,
    { appid: 'wx0000000000000000' }), werun.AppIdMismatchError);
});
