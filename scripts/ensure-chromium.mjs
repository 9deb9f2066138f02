// Finds a Chromium (or Chrome) binary for the browser test run, installing Debian's
// `chromium` package when none is present and we are root. Used by scripts/test-browser.mjs;
// run alone (`node scripts/ensure-chromium.mjs`) it prints the binary's path.
//
// Order: $CHROME_BIN (trusted as given: a wrong value is an error, not a reason to look
// elsewhere), then the usual install locations, then `apt-get install chromium`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOW_TO_GET_ONE =
  'install one (Debian/Ubuntu as root: apt-get install -y chromium) or set CHROME_BIN to a Chrome/Chromium binary';

// Ubuntu's /usr/bin/chromium-browser is often a snap shim that fails in containers; it is
// still worth trying after the real binaries.
export const DEFAULT_CANDIDATES = [
  '/usr/bin/chromium',
  'chromium',
  'google-chrome-stable',
  'google-chrome',
  'chromium-browser',
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function findInstalled(candidates) {
  for (const candidate of candidates) {
    const found = onPath(candidate);
    if (found) return found;
  }
  return undefined;
}

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

function installWithApt(log) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root';
  if (!onPath('apt-get')) return 'no apt-get';
  log('browser: no Chromium found; installing Debian chromium with apt-get (quietly)...');
  if (!run('apt-get', ['update', '-qq'])) return 'apt-get update failed';
  if (!run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'])) {
    return 'apt-get install chromium failed';
  }
  return undefined;
}

/**
 * Returns the path of a usable Chrome/Chromium binary, or throws an Error whose message is
 * one line telling the user how to get one.
 *
 * @param {{ env?: Record<string, string | undefined>, candidates?: string[],
 *           install?: boolean, log?: (line: string) => void }} [options]
 */
export function ensureChromium(options = {}) {
  const env = options.env ?? process.env;
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  const log = options.log ?? ((line) => console.error(line));

  if (env.CHROME_BIN) {
    if (isExecutable(env.CHROME_BIN)) return env.CHROME_BIN;
    throw new Error(`CHROME_BIN=${env.CHROME_BIN} is not an executable file; fix it or unset it`);
  }

  const installed = findInstalled(candidates);
  if (installed) return installed;

  const whyNot = options.install === false ? 'installing disabled' : installWithApt(log);
  if (!whyNot) {
    const afterInstall = findInstalled(candidates);
    if (afterInstall) return afterInstall;
  }
  throw new Error(
    `No Chrome/Chromium found (${whyNot ?? 'not found after install'}): ${HOW_TO_GET_ONE}.`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(`browser: ${error.message}`);
    process.exit(1);
  }
}
