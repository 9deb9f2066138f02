import type { Logger } from '../logging/logger.js';
import { inspectorModule } from './inspector-module.js';

/**
 * On SIGUSR2, opens the Node inspector on 127.0.0.1 (mode's SIGUSR2 starts pdb) and logs
 * where to attach: the `ws://` URL for any inspector client, and the `devtools://` URL
 * to paste into Chrome. Unlike pdb it does not stop the program: the event loop keeps
 * turning until a debugger attaches and pauses it. Returns the function that removes the
 * handler and closes the inspector again, if this opened it.
 *
 * While an inspector is open the blocking detector reports without the stack (pausing
 * the thread for it would disturb the debugger).
 *
 * @example
 * const off = openInspectorOnSignal(worker.log);
 * // $ kill -USR2 <pid>
 * // [...: WARNING]: [^Worker]: Debugger listening on ws://127.0.0.1:40123/6f0c…; in Chrome: devtools://devtools/bundled/js_app.html?…
 * off();
 */
export function openInspectorOnSignal(log: Pick<Logger, 'warn' | 'error'>, port = 0): () => void {
  let opened = false;
  const inspector = inspectorModule();
  const onSignal = () => {
    if (!inspector) {
      log.error('Cannot open the debugger: this Node has no inspector');
      return;
    }
    const already = inspector.url();
    if (already) {
      log.warn('Debugger already listening on %s', already);
      return;
    }
    try {
      inspector.open(port, '127.0.0.1', false);
    } catch (error) {
      log.error('Cannot open the debugger on 127.0.0.1:%d: %s', port, error instanceof Error ? error.message : String(error));
      return;
    }
    opened = true;
    const ws = inspector.url() ?? '';
    log.warn('Debugger listening on %s; in Chrome: %s', ws, devtoolsUrl(ws));
  };
  process.on('SIGUSR2', onSignal);
  return () => {
    process.off('SIGUSR2', onSignal);
    if (opened) inspector?.close();
    opened = false;
  };
}

// What Chrome's DevTools opens for a Node target (the devtoolsFrontendUrl of /json/list).
function devtoolsUrl(ws: string): string {
  return `devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=${ws.replace(/^ws:\/\//, '')}`;
}
