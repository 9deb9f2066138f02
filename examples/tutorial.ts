// mode's tutorial, made real: `npm start` (or `node build/examples/tutorial.js --help`).
// An App with a web server (http://127.0.0.1:8000/), a WebSocket echo server
// (ws://127.0.0.1:8001/) and a user cache whose timer removes expired users, run by a
// Worker: Ctrl-C stops it all, in reverse order.
import { UsageError, parseFlags, parsePort, type FlagSpecs } from '../src/node/flags.js';
import { Worker } from '../src/node/worker.js';
import { App } from './tutorial/app.js';

// `satisfies`, not `: FlagSpecs`, so that parseFlags types each value (a port is a number).
const FLAGS = {
  'web-port': { metavar: 'PORT', parse: parsePort, help: 'web server port (default $WEB_PORT or 8000)' },
  'ws-port': { metavar: 'PORT', parse: parsePort, help: 'WebSocket server port (default $WS_PORT or 8001)' },
} satisfies FlagSpecs;

function portFrom(flag: number | undefined, env: string, fallback: number): number {
  if (flag !== undefined) return flag;
  const text = process.env[env];
  if (text === undefined || text === '') return fallback;
  try {
    return parsePort(text);
  } catch (error) {
    throw new UsageError(`${env}: ${(error as Error).message}`);
  }
}

let app: App;
let rest: string[];
try {
  const parsed = parseFlags(process.argv.slice(2), FLAGS, { allowUnknown: true });
  rest = parsed.rest;
  app = new App({
    webPort: portFrom(parsed.values['web-port'], 'WEB_PORT', 8000),
    wsPort: portFrom(parsed.values['ws-port'], 'WS_PORT', 8001),
  });
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`tutorial: ${error.message}\n`);
  process.exit(2);
}

await new Worker(app, { flags: FLAGS }).executeFromCommandline(rest);
