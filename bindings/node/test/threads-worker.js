'use strict';
// Run by test/threads.test.js in worker_threads: every vector, `rounds` times, in an order of
// the worker's own, and every outcome sent back.
const { parentPort, workerData } = require('node:worker_threads');
const { run } = require('./threads-common');

const { rounds, seed } = workerData;
const outcomes = [];
for (let round = 0; round < rounds; round++) outcomes.push(run(seed + round));
parentPort.postMessage({ threadId: require('node:worker_threads').threadId, outcomes });
