// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab's runtimes series: what Node pays to spawn a program with
// child_process.spawnSync, timed inside Node while it holds a resident ballast
// of a given size, to set beside spawnlab's own strategies.
// Usage: node --expose-gc node_spawnsync.js TARGET RUNS WARMUP SIZE_MB [SIZE_MB ...]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const PAGE = 4096;
// A Buffer holds at most 4 GiB in Node 20, so larger ballasts are several.
const CHUNK = 1024 * 1024 * 1024;
// The ballast lives outside main(): held only in a local, TurboFan (once the
// spawn loop has made main() hot) dropped the page writes and so the pages
// never became resident.
let ballast = null;

// Writes to a pipe are synchronous on Linux, so each line reaches the
// streaming reader at once and nothing is lost when the process exits.
function say(line) {
  process.stdout.write(line + '\n');
}

class ArgError extends Error {}

function whole(text, name, minimum) {
  if (!/^[0-9]+$/.test(text) || Number(text) < minimum || !Number.isSafeInteger(Number(text))) {
    throw new ArgError(`${name} must be a whole number >= ${minimum}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function procKb(file, key) {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(fs.readFileSync(file, 'latin1'));
  return m ? Number(m[1]) : -1;
}

// n bytes in chunks, one byte written per page so they are resident. Built
// here, not in main(), so no stale register there keeps a chunk alive once the
// ballast is dropped. The kernel grants each chunk where it would refuse one
// block of n bytes, so MemAvailable is checked first: past it the OOM killer,
// not an error line, would end the run.
function makeBallast(n) {
  const availKb = procKb('/proc/meminfo', 'MemAvailable');
  if (availKb >= 0 && n / 1024 > availKb) throw new RangeError(`only ${availKb} kB available`);
  const chunks = [];
  for (let left = n; left > 0; left -= CHUNK) chunks.push(Buffer.alloc(Math.min(left, CHUNK)));
  for (const b of chunks) for (let i = 0; i < b.length; i += PAGE) b[i] = 1;
  return chunks;
}

// The round trip in ns as a BigInt, or null if the spawn failed.
// The worker that started this driver: once it is gone (killed, or the GUI
// with it), nobody reads the samples and the ballast should go too.
const PARENT = process.ppid;

function spawn(target) {
  if (process.ppid !== PARENT) process.exit(1);
  const start = process.hrtime.bigint();
  const r = spawnSync(target, [], { stdio: 'ignore' });
  const elapsed = process.hrtime.bigint() - start;
  return r.error || r.status !== 0 ? null : elapsed;
}

function main(argv) {
  if (argv.length < 4) throw new ArgError('expected TARGET RUNS WARMUP SIZE_MB [SIZE_MB ...]');
  const target = argv[0];
  if (!path.isAbsolute(target)) throw new ArgError(`TARGET must be an absolute path, not ${JSON.stringify(target)}`);
  const runs = whole(argv[1], 'RUNS', 1);
  const warmup = whole(argv[2], 'WARMUP', 0);
  const sizes = argv.slice(3).map((s) => whole(s, 'SIZE_MB', 0));

  say(`runtime node child_process.spawnSync ${process.version}`);
  for (const mb of sizes) {
    const n = mb * 1024 * 1024;
    try {
      ballast = makeBallast(n);
    } catch (e) {
      say(`error cannot allocate a ballast of ${mb} MiB (${e.message})`);
      return 1;
    }
    const rss = procKb('/proc/self/status', 'VmRSS');
    for (let i = 0; i < warmup; i++) spawn(target);
    const ok = [];
    for (let i = 0; i < runs; i++) {
      const ns = spawn(target);
      if (ns !== null) ok.push((Number(ns) / 1000).toFixed(3));
    }
    if (ok.length === 0) {
      say(`error every spawn of ${target} failed at ${mb} MiB`);
      return 1;
    }
    say(`cell ${mb} ${rss} ${runs - ok.length} ${ok.join(' ')}`);
    // Reachable until here; then handed back before the next size so each
    // VmRSS is its own. The second gc() waits for the first one's background
    // sweeper, which is what frees the backing store.
    ballast = null;
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof ArgError)) throw e;
  say(`error ${e.message}`);
  process.exitCode = 2;
}
