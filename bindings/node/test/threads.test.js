'use strict';
// worker_threads: each worker loads the binding (and koffi, and the library) on its own, and
// many run at once; every result must equal the main thread's.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const { run } = require('./threads-common');

const WORKERS = 4;
const ROUNDS = 5;

function startWorker(seed) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'threads-worker.js'),
      { workerData: { rounds: ROUNDS, seed } });
    let message = null;
    worker.on('message', (m) => { message = m; });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`));
      else resolve(message);
    });
  });
}

test('single-threaded results cover every vector, successes and failures', () => {
  const results = run(0);
  const values = Object.values(results);
  assert.ok(values.length > 300, `${values.length} calls`);
  assert.ok(values.some((r) => r.value !== undefined));
  assert.ok(values.some((r) => r.error === 'DecryptFailedError'));
  // The same again: the binding's reused buffers leave nothing behind.
  assert.deepEqual(run(7), results);
});

test(`${WORKERS} workers at once, ${ROUNDS} rounds each: every result is the main thread's`,
  async () => {
    const expected = run(0);
    const messages = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => startWorker(1000 * (i + 1))));
    const threadIds = new Set(messages.map((m) => m.threadId));
    assert.equal(threadIds.size, WORKERS);
    for (const { outcomes } of messages) {
      assert.equal(outcomes.length, ROUNDS);
      for (const results of outcomes) assert.deepEqual(results, expected);
    }
  });

test('the main thread keeps calling while workers run', async () => {
  const expected = run(0);
  const workers = Array.from({ length: 2 }, (_, i) => startWorker(77 + i));
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(run(i + 1), expected);
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const { outcomes } of await Promise.all(workers)) {
    for (const results of outcomes) assert.deepEqual(results, expected);
  }
});

test('a worker that is terminated mid-run does not disturb the others', async () => {
  const expected = run(0);
  const victim = new Worker(path.join(__dirname, 'threads-worker.js'),
    { workerData: { rounds: 1000, seed: 5 } });
  const survivor = startWorker(9);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await victim.terminate();
  for (const results of (await survivor).outcomes) assert.deepEqual(results, expected);
});
