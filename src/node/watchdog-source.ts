import { STACK_READER_SOURCE } from './stack-reader-source.js';

/**
 * The blocking detector's watchdog, run as an `eval` worker thread (CommonJS). It is a
 * string, not a module file, so that it survives any bundling of the package: there is
 * no second file to locate at run time.
 *
 * It sleeps in `Atomics.wait` (no event loop needed), wakes every `period` ms, and when
 * the heartbeat has not moved for `timeout` it reads the main thread's stack (see
 * stack-reader-source.ts; only then does it leave `Atomics.wait` for its own event loop,
 * which the inspector's answers need) and writes the warning with `fs.writeSync`, so it
 * appears while the main thread is still stuck. The report also goes to the main thread
 * as a message, read there once it is free again. The line format repeats, in a few
 * lines, what src/logging/format.ts does for the main thread.
 *
 * Heartbeat slots: 0 the beat, 1 set to stop, 2 set while an inspector is open on the
 * main thread (someone's debugger: pausing and resuming would disturb it).
 */
export const WATCHDOG_SOURCE = String.raw`
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { heartbeat, work, timeout, period, fd, file, format, label, depth, pid, stack } = workerData;
const beats = new Int32Array(heartbeat);
const workMeta = new Int32Array(work, 0, 2);
const workBytes = new Uint8Array(work, 8);
const decoder = new TextDecoder();
const NO_TASK = '(no service task: module code, a callback or a library)';
${STACK_READER_SOURCE}

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
function frameText(frame) {
  return '    at ' + (frame.className ? frame.className + '.' : '') + frame.functionName + ' (' + frame.file + ':' + frame.line + ':' + frame.column + ')';
}

// seen: what the stack showed ({ frames, service?, path?, task? }), if it was read;
// note: why it was not, or why the service is not named, when that is worth saying.
function report(blockedMs, seen, note) {
  const announced = readWork();
  const task = (seen && seen.task) || announced;
  const msg = 'Blocking detected (timeout=' + seconds(timeout) + '): the event loop has been blocked for ' +
    (blockedMs / 1000).toFixed(1) + 's while running ' + (task === undefined ? NO_TASK : task) +
    (seen && seen.path ? ' (' + seen.path + ')' : '') + (note ? ' (' + note + ')' : '');
  const data = { blockedMs: Math.round(blockedMs) };
  if (seen && seen.path !== undefined) data.path = seen.path;
  if (seen && seen.service !== undefined) data.service = seen.service;
  if (task !== undefined) data.task = task;
  if (seen) data.frames = seen.frames;
  const now = new Date();
  const line = format === 'json'
    ? JSON.stringify(Object.assign({ level: 40, time: now.getTime(), pid, label, depth }, data, { work: task, msg })) + '\n'
    : '[' + asctime(now) + ': WARNING]: [^' + '-'.repeat(Math.max(0, depth - 1)) + label + ']: ' + msg +
      (seen ? seen.frames.map((frame) => '\n' + frameText(frame)).join('') : '') + '\n';
  try {
    if (file) fs.appendFileSync(file, line);
    else fs.writeSync(fd, line);
  } catch (error) {
    // Nowhere left to complain; the next report tries again.
  }
  try {
    parentPort.postMessage(data);
  } catch (error) {
    // The main thread is gone: nobody to tell.
  }
}

const stopped = () => Atomics.load(beats, 1) !== 0;
// How long each step of reading the stack may take: answers come in milliseconds while
// JavaScript runs; a thread busy outside JavaScript never answers (the report then comes
// this much later, without the stack).
const STEP_LIMIT_MS = 1500;
let lastBeat = Atomics.load(beats, 0);
let lastChange = performance.now();
let reports = 0;
// Once per block: a stack that could not be read is not asked for again until the loop turns.
let stackFailed = false;
// Said once: why reports carry no stack.
let saidWhy = false;

function whyNoStack() {
  if (!stack) return undefined;
  if (noInspector) return noInspector;
  if (Atomics.load(beats, 2) !== 0) return 'no stack: an inspector is already open on this process (--inspect or SIGUSR2), and pausing would disturb its debugger';
  return undefined;
}

function watch() {
  while (!stopped()) {
    Atomics.wait(beats, 1, 0, period);
    if (stopped()) return;
    const now = performance.now();
    const beat = Atomics.load(beats, 0);
    if (beat !== lastBeat) {
      lastBeat = beat;
      lastChange = now;
      reports = 0;
      stackFailed = false;
      continue;
    }
    if (now - lastChange < timeout * (reports + 1)) continue;
    // Counted from the time, not by one: reading a stack may have taken a while.
    reports = Math.floor((now - lastChange) / timeout);
    const blockedMs = now - lastChange;
    const why = whyNoStack();
    if (!stack || why || stackFailed) {
      report(blockedMs, undefined, why && !saidWhy ? why : undefined);
      if (why) saidWhy = true;
      continue;
    }
    // A stop clears the heartbeat first: the loop is free then, whatever the beat says.
    const stillBlocked = () => !stopped() && Atomics.load(beats, 0) === beat;
    readMainStack(stillBlocked, STEP_LIMIT_MS).then(
      (seen) => {
        if (seen && !stopped()) report(performance.now() - lastChange, seen, seen.note);
      },
      (error) => {
        stackFailed = true;
        if (stillBlocked()) report(performance.now() - lastChange, undefined, 'no stack: ' + error.message);
      },
    ).finally(() => {
      reports = Math.floor((performance.now() - lastChange) / timeout);
      setImmediate(watch);
    });
    return;
  }
}

watch();
`;
