'use strict';
// What test/threads.test.js runs on the main thread and in each worker: every call of every
// vector (decryptSteps with numbers and bigints, openData, diagnose), as plain outcomes.

const werun = require('..');
const { loadVectors, checks } = require('./helpers');

const { vectors: VECTORS, keys_vectors: KEYS_VECTORS = [] } = loadVectors();

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e.name, status: e.status, code: e.code, message: e.message };
  }
}

function calls(v) {
  const args = [v.session_key, v.iv, v.encrypted_data];
  if (v.api === 'open_data') {
    return {
      openData: () => werun.openData(...args, checks(v)),
      diagnose: () => werun.diagnose(...args, { strictBase64: v.strict_base64 }),
    };
  }
  return {
    decryptSteps: () => werun.decryptSteps(...args, { ...checks(v), maxSteps: v.capacity }),
    bigint: () => werun.decryptSteps(...args, { ...checks(v), bigint: true }),
    bytes: () => werun.decryptSteps(...args.map((s) => Buffer.from(s)), checks(v)),
    withKeys: () => werun.decryptStepsWithKeys(['AAAAAAAAAAAAAAAAAAAAAA==', v.session_key],
      v.iv, v.encrypted_data, checks(v)),
    diagnose: () => werun.diagnose(...args, { strictBase64: v.strict_base64 }),
  };
}

/** Every call of every vector, in an order shuffled by `seed` (0: file order). */
function run(seed) {
  const jobs = [];
  for (const v of VECTORS) {
    for (const [name, fn] of Object.entries(calls(v))) jobs.push([`${v.id} ${name}`, fn]);
  }
  for (const v of KEYS_VECTORS) {
    jobs.push([`${v.id} withKeys`, () => werun.decryptStepsWithKeys(v.session_keys, v.iv,
      v.encrypted_data, { appid: v.appid })]);
  }
  let state = seed;
  for (let i = jobs.length - 1; seed !== 0 && i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
  }
  const results = {};
  for (const [key, fn] of jobs) results[key] = outcome(fn);
  return results;
}

module.exports = { run, VECTORS };
