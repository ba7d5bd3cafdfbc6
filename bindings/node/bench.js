#!/usr/bin/env node
'use strict';
// Benchmark peer for the project's peer harness (its README, "What is timed" and "Adding a
// peer"): werun's Node.js binding on the harness's dataset format.
//
//   node bench.js DATASET [--reps N] [--warmup N]      one JSON line, peer "werun_node"
//   node bench.js DATASET --compare                    also the conventional Node path in the
//                                                      same process, passes alternating
//   node bench.js --generate N FILE                    a dataset of N 31-entry payloads made
//                                                      with node:crypto (for a quick run
//                                                      without the harness's generator)
//
// Contract: the dataset (one JSON object per line: session_key, iv, encryptedData, appid,
// expected_sum, expected_ts_sum) is read and split into strings before timing. A timed pass
// runs the whole job over every payload in order, in one thread: decryptSteps (base64, key
// setup, AES-128-CBC, PKCS#7, JSON, appid check, all in the library), the freshly built
// result (an array of {timestamp, step}), and the checksum loop over it. `--warmup` untimed
// passes (default 2, as the harness's Node peer), then REPS (env) or --reps timed passes
// (default 7); the line reports the median (and min/max) ns per payload. A checksum that is
// not the dataset's fails the run (exit 1).
//
// With the harness (copy it out of the shared folder first; never run it in place):
//   EXTRA_PEERS="werun_node=node /path/to/bindings/node/bench.js" ONLY=node ./run_peers.sh

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

function parseArgs(argv) {
  const args = { reps: Number(process.env.REPS || 7), warmup: 2, file: null, compare: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--reps') args.reps = Number(argv[++i]);
    else if (argv[i] === '--warmup') args.warmup = Number(argv[++i]);
    else if (argv[i] === '--compare') args.compare = true;
    else if (argv[i] === '--generate') {
      args.generate = Number(argv[++i]);
      args.file = argv[++i];
    } else args.file = argv[i];
  }
  if (!args.file || !(args.reps >= 1) || !(args.warmup >= 0)) {
    console.error('usage: node bench.js DATASET [--reps N] [--warmup N] [--compare]\n' +
      '       node bench.js --generate N FILE');
    process.exit(2);
  }
  return args;
}

/** The harness's dataset format, 31 entries per payload, each with its own key. */
function generate(n, file) {
  const appid = 'wx4f4bc4dec97d474b';
  const lines = [];
  for (let i = 0; i < n; i++) {
    const key = crypto.randomBytes(16);
    const iv = crypto.randomBytes(16);
    const entries = [];
    let stepSum = 0;
    let tsSum = 0;
    for (let d = 0; d < 31; d++) {
      const timestamp = 1714579200 + 86400 * d;
      const step = crypto.randomInt(0, 30000);
      entries.push({ timestamp, step });
      stepSum += step;
      tsSum += timestamp;
    }
    const plaintext = JSON.stringify({ stepInfoList: entries,
      watermark: { timestamp: 1717201234, appid } });
    const cipher = crypto.createCipheriv('aes-128-cbc', key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    lines.push(JSON.stringify({ session_key: key.toString('base64'), iv: iv.toString('base64'),
      encryptedData: data.toString('base64'), appid, expected_sum: stepSum,
      expected_ts_sum: tsSum, entries: 31 }));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

// --- the two paths ---------------------------------------------------------------------------

function werunPath() {
  const werun = require(__dirname);
  return (sessionKey, iv, encryptedData, appid) =>
    werun.decryptSteps(sessionKey, iv, encryptedData, { appid }).steps;
}

// The conventional Node path (WeChat's WXBizDataCrypt.js style, as the harness's node_crypto
// peer): Buffer.from(base64) -> createDecipheriv('aes-128-cbc') with automatic PKCS#7 ->
// JSON.parse -> appid check. Written here for --compare; the harness runs its own copy.
function conventionalPath() {
  return (sessionKey, iv, encryptedData, appid) => {
    const key = Buffer.from(sessionKey, 'base64');
    const ivBytes = Buffer.from(iv, 'base64');
    const ciphertext = Buffer.from(encryptedData, 'base64');
    const decipher = crypto.createDecipheriv('aes-128-cbc', key, ivBytes);
    decipher.setAutoPadding(true);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    const data = JSON.parse(plaintext.toString('utf8'));
    if (data.watermark.appid !== appid) throw new Error('appid mismatch');
    return data.stepInfoList.map((e) => ({ timestamp: e.timestamp, step: e.step }));
  };
}

// --- timing ----------------------------------------------------------------------------------

function load(file) {
  const records = [];
  let wantSteps = 0;
  let wantTs = 0;
  for (const line of fs.readFileSync(file, 'ascii').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    records.push([r.session_key, r.iv, r.encryptedData, r.appid]);
    wantSteps += r.expected_sum;
    wantTs += r.expected_ts_sum;
  }
  return { records, wantSteps, wantTs };
}

function onePass(decrypt, records) {
  let steps = 0;
  let ts = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const list = decrypt(r[0], r[1], r[2], r[3]);
    for (let j = 0; j < list.length; j++) {
      ts += list[j].timestamp;
      steps += list[j].step;
    }
  }
  const t1 = process.hrtime.bigint();
  return { ns: Number(t1 - t0) / records.length, steps, ts };
}

function report(peer, file, dataset, reps, per, ok, checksum) {
  const sorted = [...per].sort((a, b) => a - b);
  const m = sorted.length;
  const median = m % 2 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  const r1 = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({
    peer,
    dataset: path.basename(file),
    payloads: dataset.records.length,
    reps,
    median_ns_per_payload: r1(median),
    min_ns_per_payload: r1(sorted[0]),
    max_ns_per_payload: r1(sorted[m - 1]),
    payloads_per_s: r1(1e9 / median),
    checksum,
    expected_checksum: dataset.wantSteps,
    ok,
  }).replace(/,"/g, ', "').replace(/":/g, '": '));
  return median;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.generate !== undefined) {
    generate(args.generate, args.file);
    console.error(`wrote ${args.generate} payloads to ${args.file}`);
    return;
  }
  const dataset = load(args.file);
  const paths = [['werun_node', werunPath()]];
  if (args.compare) paths.push(['node_crypto_same_process', conventionalPath()]);
  for (let i = 0; i < args.warmup; i++) {
    for (const [, decrypt] of paths) onePass(decrypt, dataset.records);
  }
  const per = paths.map(() => []);
  const ok = paths.map(() => true);
  const checksum = paths.map(() => 0);
  // Passes of the paths alternate, so that load on the machine hits each alike.
  for (let rep = 0; rep < args.reps; rep++) {
    paths.forEach(([, decrypt], p) => {
      const r = onePass(decrypt, dataset.records);
      per[p].push(r.ns);
      checksum[p] = r.steps;
      ok[p] = ok[p] && r.steps === dataset.wantSteps && r.ts === dataset.wantTs;
    });
  }
  const medians = paths.map(([peer], p) =>
    report(peer, args.file, dataset, args.reps, per[p], ok[p], checksum[p]));
  if (args.compare && args.reps >= 3) { // (fewer passes: a smoke run, no speed to compare)
    console.error(`werun_node is ${(medians[1] / medians[0]).toFixed(2)}x faster than ` +
      'node_crypto_same_process (medians)');
  }
  process.exit(ok.every(Boolean) ? 0 : 1);
}

main();
