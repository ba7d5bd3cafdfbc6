// Soak and stress of the Node.js binding (bindings/node, its ES module entry point), run by
// tests/soak/run.sh with `node --expose-gc` and WERUN_LIBRARY pointing at
// target/release/libwerun.so, as bindings/node/run-tests.sh runs its tests. The same modes,
// payloads and output as tests/soak/soak.c:
//
//   node --expose-gc soak.mjs VECTORS MIX soak CALLS
//   node soak.mjs VECTORS MIX stress THREADS CALLS   (worker_threads, each loading the binding)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import * as werun from '../../bindings/node/index.mjs';

// The most VmRSS may grow from the end of the warm-up (call CALLS/10) to the last call.
const GROWTH_LIMIT_KIB = 1024;

function fail(message) {
  console.error(message);
  process.exit(2);
}

/** The payloads of the mix file, each with what the vector file says its call gives. */
function loadMix(vectorsPath, mixPath) {
  const file = JSON.parse(readFileSync(vectorsPath, 'utf8'));
  const codes = new Map(file.statuses.map((s) => [s.name, s.code]));
  const byId = new Map(file.vectors.map((v) => [v.id, v]));
  const mix = [];
  for (const line of readFileSync(mixPath, 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2 || fields[0].startsWith('#')) continue;
    const v = byId.get(fields[1]);
    if (!v || v.api !== 'steps' || v.scratch_len !== null || !codes.has(v.expect.status)) {
      fail(`${mixPath}: ${fields[1]}: not a steps vector with an ample scratch`);
    }
    const want = { status: codes.get(v.expect.status), steps: [], watermark: null };
    if (want.status === 0) {
      want.steps = v.expect.steps.map(([timestamp, step]) => ({ timestamp, step }));
      want.watermark = v.expect.watermark_timestamp;
      const exact = want.steps.every((s) => Number.isSafeInteger(s.timestamp));
      if (!exact) fail(`${v.id}: timestamps beyond 2^53 (this program compares numbers)`);
    }
    mix.push({ v, want });
  }
  if (mix.length === 0) fail(`${mixPath}: no payloads`);
  return mix;
}

/** What a caller sees: { status, steps, watermark }, status 0 for success. */
function decrypt(v) {
  try {
    const data = werun.decryptSteps(v.session_key, v.iv, v.encrypted_data,
      { appid: v.appid, strictBase64: v.strict_base64, maxSteps: v.capacity });
    return { status: 0, steps: data.steps, watermark: data.watermarkTimestamp };
  } catch (e) {
    if (!(e instanceof werun.WerunError)) throw e;
    return { status: e.status, steps: [], watermark: null };
  }
}

function same(a, b) {
  if (a.status !== b.status || a.steps.length !== b.steps.length || a.watermark !== b.watermark) {
    return false;
  }
  return a.steps.every((s, i) =>
    s.timestamp === b.steps[i].timestamp && s.step === b.steps[i].step);
}

function rssKiB() {
  globalThis.gc();
  const match = /^VmRSS:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) fail('no VmRSS in /proc/self/status');
  return Number(match[1]);
}

function soak(mix, calls) {
  if (typeof globalThis.gc !== 'function') fail('run with node --expose-gc');
  let wrong = 0;
  const warmup = Math.floor(calls / 10);
  const every = Math.max(1, Math.floor(calls / 20));
  let rssWarm = 0;
  let rssMax = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const { v, want } = mix[i % mix.length];
    const got = decrypt(v);
    if (!same(got, want) && ++wrong <= 10) {
      console.error(`call ${i} (${v.id}): status ${got.status}, ${got.steps.length} steps; ` +
        `expected status ${want.status}, ${want.steps.length} steps`);
    }
    if ((i + 1) % every === 0 || i + 1 === warmup) {
      const rss = rssKiB();
      if (i + 1 === warmup) rssWarm = rss;
      rssMax = Math.max(rssMax, rss);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rssEnd = rssKiB();
  const growth = rssEnd - rssWarm;
  console.log(`soak binding=node calls=${calls} seconds=${seconds.toFixed(2)} ` +
    `rss_warmup_kib=${rssWarm} rss_end_kib=${rssEnd} growth_kib=${growth} rss_max_kib=${rssMax} ` +
    `wrong=${wrong}`);
  if (growth > GROWTH_LIMIT_KIB) {
    console.error(`soak node: RSS grew by ${growth} KiB after the warm-up ` +
      `(limit ${GROWTH_LIMIT_KIB} KiB)`);
  }
  return wrong === 0 && growth <= GROWTH_LIMIT_KIB;
}

/** A worker: loads the binding, says it is ready, runs its calls on 'go', reports. */
function worker() {
  const { vectorsPath, mixPath, single, offset, calls, index } = workerData;
  const mix = loadMix(vectorsPath, mixPath);
  parentPort.once('message', () => {
    let wrong = 0;
    for (let i = 0; i < calls; i++) {
      const j = (i + offset) % mix.length;
      if (!same(decrypt(mix[j].v), single[j]) && ++wrong <= 10) {
        console.error(`worker ${index}, call ${i} (${mix[j].v.id}): ` +
          'not the single-threaded result');
      }
    }
    parentPort.postMessage({ wrong });
  });
  parentPort.postMessage('ready');
}

async function stress(vectorsPath, mixPath, threads, calls) {
  const mix = loadMix(vectorsPath, mixPath);
  let ok = true;
  const single = mix.map(({ v, want }) => {
    const got = decrypt(v);
    if (!same(got, want)) {
      console.error(`${v.id}: the single-threaded result is not the vector file's`);
      ok = false;
    }
    return got;
  });
  const workers = [];
  const ready = [];
  const done = [];
  for (let k = 0; k < threads; k++) {
    const w = new Worker(fileURLToPath(import.meta.url), {
      workerData: {
        vectorsPath, mixPath, single, calls, index: k,
        offset: Math.floor((k * mix.length) / threads), // workers on different payloads
      },
    });
    const messages = [];
    const waiters = [];
    w.on('message', (m) => (waiters.length ? waiters.shift()(m) : messages.push(m)));
    w.on('error', (e) => fail(`worker ${k}: ${e.stack}`));
    const next = () => new Promise((resolve) =>
      (messages.length ? resolve(messages.shift()) : waiters.push(resolve)));
    workers.push(w);
    ready.push(next());
    done.push(ready[k].then(() => next()));
  }
  await Promise.all(ready);
  const start = process.hrtime.bigint();
  for (const w of workers) w.postMessage('go');
  const results = await Promise.all(done);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(workers.map((w) => w.terminate()));
  const wrong = results.reduce((sum, r) => sum + r.wrong, 0);
  const total = calls * threads;
  console.log(`stress binding=node threads=${threads} calls=${total} ` +
    `seconds=${seconds.toFixed(2)} ` +
    `calls_per_second=${(total / seconds).toFixed(0)} wrong=${wrong}`);
  return ok && wrong === 0;
}

if (!isMainThread) {
  worker();
} else {
  const args = process.argv.slice(2);
  let ok;
  if (args.length === 4 && args[2] === 'soak') {
    ok = soak(loadMix(args[0], args[1]), Number(args[3]));
  } else if (args.length === 5 && args[2] === 'stress') {
    ok = await stress(args[0], args[1], Number(args[3]), Number(args[4]));
  } else {
    fail('usage: soak.mjs VECTORS MIX soak CALLS | soak.mjs VECTORS MIX stress THREADS CALLS');
  }
  process.exitCode = ok ? 0 : 1;
}
