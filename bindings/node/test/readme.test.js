'use strict';
// README.md's example runs, and prints what its comments say.

const test = require('node:test');
const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_DIR } = require('./helpers');

test('the README example prints what its comments say', () => {
  const readme = fs.readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8');
  const block = /```js\n([\s\S]*?)```/.exec(readme)[1];
  const expected = [...block.matchAll(/console\.log\(.*\);\s*\/\/ (.*)$/gm)].map((m) => m[1]);
  assert.ok(expected.length >= 4);
  const r = childProcess.spawnSync(process.execPath, ['-e', block],
    { cwd: PACKAGE_DIR, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), expected);
});
