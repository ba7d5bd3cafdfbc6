'use strict';
// What the tests share: the repository's paths and its vector file.

const fs = require('fs');
const path = require('path');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_DIR = path.resolve(PACKAGE_DIR, '..', '..');
const VECTORS_FILE = path.join(REPO_DIR, 'tests', 'vectors', 'werun.json');
const REAL_WORLD_FILE = path.join(REPO_DIR, 'tests', 'vectors', 'real-world.json');
// (WERUN_TEST_HEADER: another copy, to see the header tests fail on an addition.)
const HEADER_FILE = process.env.WERUN_TEST_HEADER || path.join(REPO_DIR, 'include', 'werun.h');

/**
 * tests/vectors/werun.json, the file every language's tests read, with the integers that a
 * double cannot hold exactly (|n| > 2**53: timestamps at int64's limits, now, max_age) kept as
 * their decimal text, so that the tests can compare them exactly (BigInt(text)).
 */
function loadVectors() {
  const text = fs.readFileSync(VECTORS_FILE, 'utf8')
    .replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"');
  return JSON.parse(text);
}

/** An integer from the vector file (a number, or the text of a big one) as a bigint. */
function big(value) {
  return BigInt(value);
}

/** The same as the number JSON.parse would give (the nearest double). */
function num(value) {
  return Number(value);
}

/** A vector's now/maxAge as the API takes it: a number when exact, else a bigint. */
function integerArg(value) {
  if (value === null) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

/** The options of a vector for decryptSteps/openData. */
function checks(v) {
  const options = { appid: v.appid, strictBase64: v.strict_base64 };
  if (v.now !== null) {
    options.now = integerArg(v.now);
    options.maxAge = integerArg(v.max_age);
  }
  return options;
}

module.exports = {
  PACKAGE_DIR,
  REPO_DIR,
  VECTORS_FILE,
  REAL_WORLD_FILE,
  HEADER_FILE,
  loadVectors,
  big,
  num,
  integerArg,
  checks,
};
