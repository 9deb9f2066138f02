/**
 * How the blocking detector's watchdog reads the stack of the blocked main thread: the
 * part of the watchdog's source (see watchdog-source.ts) that defines
 * `readMainStack(stillBlocked, limitMs)`, as a string for the same reason.
 *
 * It opens an inspector session on the main thread (`Session.connectToMainThread()`),
 * enables the debugger, pauses the main thread (V8 handles a session's messages on an
 * interrupt, so the pause lands inside the busy JavaScript), reads the call frames,
 * finds the innermost frame whose `this` is a service (its label and path read with
 * `throwOnSideEffect`, so no code of the program can change anything while paused),
 * resumes, disables the debugger and disconnects. The session exists only for the
 * report: while nothing blocks, no session is open and no debugger is enabled, so the
 * program runs exactly as it would without the detector. Enabling the debugger costs
 * the blocked thread a few tens of milliseconds (V8 announces every loaded script, which
 * is also how a frame whose `url` is empty is mapped to its file) and the pause well under
 * one; both only once the loop has already been blocked for the whole timeout.
 *
 * A disconnected session resumes whatever it paused, so a watchdog that fails or ends
 * half-way never leaves the main thread stopped.
 */
export const STACK_READER_SOURCE = String.raw`
const STACK_FRAMES = 8;
// Service frames are looked for this deep: below them, frames are the runtime's.
const SERVICE_FRAMES = 24;
let inspector;
let noInspector;
try {
  inspector = require('node:inspector');
  if (typeof inspector.Session.prototype.connectToMainThread !== 'function') noInspector = 'this Node has no inspector session for worker threads';
} catch (error) {
  noInspector = 'this Node has no inspector (' + error.message + ')';
}

// Whether the receiver is a service, and if so its label and its path in the tree (the
// labels from the root down, joined with '/'; a label repeated among siblings gets #2,
// #3...). Run on the paused main thread with throwOnSideEffect: it may only read, and V8
// refuses even reads of imported bindings and Symbol's description, so the service's
// core (its beacon) is found through the getter keyed by Symbol(rxmode.core) on its
// prototype chain (src/service/core.ts, service.ts), not through service.beacon.
const SERVICE_OF = String(function serviceOf() {
  let core;
  for (let proto = Object.getPrototypeOf(this); proto && core === undefined; proto = Object.getPrototypeOf(proto)) {
    const key = Object.getOwnPropertySymbols(proto).find((symbol) => String(symbol) === 'Symbol(rxmode.core)');
    if (key !== undefined) core = this[key];
  }
  if (typeof core !== 'object' || core === null || !('data' in core)) return undefined;
  const own = (data) => {
    const short = data !== null && typeof data === 'object' ? data.shortlabel : undefined;
    if (typeof short === 'string') return short;
    const long = data !== null && typeof data === 'object' ? data.label : undefined;
    return typeof long === 'string' ? long : String(data);
  };
  const parts = [];
  for (let node = core; node; node = node.parent) {
    const name = own(node.data);
    let n = 1;
    const siblings = node.parent ? node.parent.children : [];
    for (let i = 0; i < siblings.length && siblings[i] !== node; i++) if (own(siblings[i].data) === name) n++;
    parts.push(n > 1 ? name + '#' + n : name);
  }
  return { label: this.label, path: parts.reverse().join('/') };
});
// The same question alone, for a service whose label V8 will not read that way (a
// getter of its own that reads an imported binding): it is then named by its class.
const IS_SERVICE = String(function isService() {
  let core;
  for (let proto = Object.getPrototypeOf(this); proto && core === undefined; proto = Object.getPrototypeOf(proto)) {
    const key = Object.getOwnPropertySymbols(proto).find((symbol) => String(symbol) === 'Symbol(rxmode.core)');
    if (key !== undefined) core = this[key];
  }
  return typeof core === 'object' && core !== null && 'data' in core;
});

// What an unanswered session means: V8 handles the messages on an interrupt of running
// JavaScript, and there is none (Atomics.wait is interruptible, a synchronous spawn is not).
const NOT_JS = 'no JavaScript is running, e.g. a synchronous call into Node or a native addon';

function post(session, method, params, limitMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(NOT_JS)), limitMs);
    session.post(method, params, (error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
  });
}

function nextEvent(session, event, limitMs) {
  let cancel;
  const promise = new Promise((resolve, reject) => {
    const onEvent = (message) => {
      clearTimeout(timer);
      resolve(message.params);
    };
    const timer = setTimeout(() => {
      session.off(event, onEvent);
      reject(new Error(NOT_JS));
    }, limitMs);
    session.once(event, onEvent);
    cancel = () => {
      clearTimeout(timer);
      session.off(event, onEvent);
    };
  });
  promise.catch(() => undefined); // awaited later, or given up with the session
  return { promise, cancel };
}

function fileOf(url) {
  if (!url) return '<anonymous>';
  if (url.startsWith('file:')) {
    try {
      return require('node:url').fileURLToPath(url);
    } catch (error) {
      return url;
    }
  }
  return url;
}

function frameOf(callFrame, scripts) {
  const self = callFrame.this;
  const frame = {
    functionName: callFrame.functionName || '<anonymous>',
    file: fileOf(callFrame.url || scripts.get(callFrame.location.scriptId)),
    line: callFrame.location.lineNumber + 1,
    column: (callFrame.location.columnNumber || 0) + 1,
  };
  if (self && self.type === 'object' && self.subtype !== 'null' && self.className) frame.className = self.className;
  return frame;
}

async function serviceFrame(session, callFrames, limitMs) {
  const asked = new Set();
  let failed;
  for (const callFrame of callFrames.slice(0, SERVICE_FRAMES)) {
    const self = callFrame.this;
    if (!self || self.type !== 'object' || !self.objectId || asked.has(self.objectId)) continue;
    asked.add(self.objectId);
    const ask = (functionDeclaration) => post(session, 'Runtime.callFunctionOn', {
      objectId: self.objectId,
      functionDeclaration,
      returnByValue: true,
      throwOnSideEffect: true,
      silent: true,
    }, limitMs);
    let found;
    try {
      const answer = await ask(SERVICE_OF);
      found = answer.result && answer.result.value;
      if (answer.exceptionDetails) {
        const alone = await ask(IS_SERVICE);
        if (alone.result && alone.result.value === true) found = { label: self.className };
      }
    } catch (error) {
      failed = error;
      continue;
    }
    if (found && typeof found.label === 'string') {
      const method = callFrame.functionName;
      const owner = { service: found.label, task: method ? found.label + '.' + method : found.label };
      if (found.path !== undefined) owner.path = found.path;
      return owner;
    }
  }
  // Said in the report: a frame that could not be asked may have been the service's.
  return failed ? { note: 'the service could not be told: ' + failed.message } : {};
}

// The main thread's stack now, with the service and task it belongs to; undefined when
// the block ended before the pause landed (what it would show is some later code).
async function readMainStack(stillBlocked, limitMs) {
  const session = new inspector.Session();
  session.connectToMainThread();
  const scripts = new Map();
  session.on('Debugger.scriptParsed', (message) => scripts.set(message.params.scriptId, message.params.url));
  const paused = nextEvent(session, 'Debugger.paused', limitMs * 2);
  try {
    await post(session, 'Debugger.enable', {}, limitMs);
    await post(session, 'Debugger.pause', {}, limitMs);
    const { callFrames } = await paused.promise;
    if (!stillBlocked()) return undefined;
    const frames = callFrames.slice(0, STACK_FRAMES).map((callFrame) => frameOf(callFrame, scripts));
    const owner = await serviceFrame(session, callFrames, limitMs);
    await post(session, 'Debugger.resume', {}, limitMs);
    await post(session, 'Debugger.disable', {}, limitMs);
    return Object.assign({ frames }, owner);
  } finally {
    paused.cancel();
    session.disconnect();
  }
}
`;
