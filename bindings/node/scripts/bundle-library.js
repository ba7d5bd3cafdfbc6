#!/usr/bin/env node
'use strict';
// `npm pack`'s prepack step: copies the checkout's library (target/release, built by
// `make lib`) into prebuilds/<platform>-<arch>/, where the installed package finds it, after
// checking that it is libwerun with this binding's ABI and version. `--clean` (postpack)
// removes prebuilds/ again, so that the checkout keeps using target/release.

const fs = require('fs');
const path = require('path');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const PREBUILDS = path.join(PACKAGE_DIR, 'prebuilds');

if (process.argv.includes('--clean')) {
  fs.rmSync(PREBUILDS, { recursive: true, force: true });
  process.exit(0);
}

// What lib/ffi.js names the library and the platform, without loading it.
const libraryName =
  process.platform === 'darwin' ? 'libwerun.dylib'
    : process.platform === 'win32' ? 'werun.dll' : 'libwerun.so';
const platform = `${process.platform}-${process.arch}`;
const source = path.resolve(PACKAGE_DIR, '..', '..', 'target', 'release', libraryName);
if (!fs.existsSync(source)) {
  console.error(`bundle-library: ${source} is missing: run \`make lib\` at the repository ` +
    'root first');
  process.exit(1);
}
const target = path.join(PREBUILDS, platform, libraryName);
fs.rmSync(PREBUILDS, { recursive: true, force: true });
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);

// Load the copy the way the package will, and check it.
process.env.WERUN_LIBRARY = target;
const werun = require(PACKAGE_DIR);
if (werun.libraryVersion !== werun.version) {
  console.error(`bundle-library: ${source} is werun ${werun.libraryVersion}, the package is ` +
    `${werun.version}: rebuild it with \`make lib\``);
  fs.rmSync(PREBUILDS, { recursive: true, force: true });
  process.exit(1);
}
console.error(`bundle-library: ${path.relative(PACKAGE_DIR, target)} (werun ` +
  `${werun.libraryVersion}, ABI ${werun.ABI_VERSION}, ${fs.statSync(target).size} bytes)`);
