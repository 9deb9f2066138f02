/**
 * The blocking detector's watchdog, run as an `eval` worker thread (CommonJS). It is a
 * string, not a module file, so that it survives any bundling of the package: there is
 * no second file to locate at run time.
 *
 * It sleeps in `Atomics.wait` (no event loop needed), wakes every `period` ms, and when
 * the heartbeat has not moved for `timeout` it writes the warning with `fs.writeSync`, so
 * it appears while the main thread is still stuck. The line format repeats, in a few
 * lines, what src/logging/format.ts does for the main thread.
 */
export const WATCHDOG_SOURCE = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { heartbeat, work, timeout, period, fd, file, format, label, depth, pid } = workerData;
const beats = new Int32Array(heartbeat);
const workMeta = new Int32Array(work, 0, 2);
const workBytes = new Uint8Array(work, 8);
const decoder = new TextDecoder();

function readWork() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const before = Atomics.load(workMeta, 0);
    if (before & 1) continue;
    const length = Atomics.load(workMeta, 1);
    const copy = workBytes.slice(0, length);
    if (Atomics.load(workMeta, 0) === before) return length > 0 ? decoder.decode(copy) : undefined;
  }
  return undefined;
}

function pad(n, width) { return String(n).padStart(width || 2, '0'); }
function asctime(d) {
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + ',' + pad(d.getMilliseconds(), 3);
}
function seconds(ms) {
  return ms % 1000 === 0 ? (ms / 1000) + 's' : (ms / 1000).toFixed(3).replace(/0+$/, '') + 's';
}

function report(blockedMs) {
  const running = readWork();
  const msg = 'Blocking detected (timeout=' + seconds(timeout) + '): the event loop has been blocked for ' +
    (blockedMs / 1000).toFixed(1) + 's while running ' +
    (running === undefined ? '(no service task: module code, a callback or a library)' : running);
  const now = new Date();
  const line = format === 'json'
    ? JSON.stringify({ level: 40, time: now.getTime(), pid, label, depth, blockedMs: Math.round(blockedMs), work: running, msg }) + '\n'
    : '[' + asctime(now) + ': WARNING]: [^' + '-'.repeat(Math.max(0, depth - 1)) + label + ']: ' + msg + '\n';
  try {
    if (file) fs.appendFileSync(file, line);
    else fs.writeSync(fd, line);
  } catch (error) {
    // Nowhere left to complain; the next report tries again.
  }
}

let lastBeat = Atomics.load(beats, 0);
let lastChange = performance.now();
let reports = 0;
while (Atomics.load(beats, 1) === 0) {
  Atomics.wait(beats, 1, 0, period);
  if (Atomics.load(beats, 1) !== 0) break;
  const now = performance.now();
  const beat = Atomics.load(beats, 0);
  if (beat !== lastBeat) {
    lastBeat = beat;
    lastChange = now;
    reports = 0;
  } else if (now - lastChange >= timeout * (reports + 1)) {
    reports++;
    report(now - lastChange);
  }
}
`;
