import { createRequire } from 'node:module';

type Inspector = typeof import('node:inspector');

let loaded: Inspector | null | undefined;

/**
 * `node:inspector`, or `undefined` in a Node built without it (where loading the module
 * throws): the Worker and the blocking detector then do without, instead of `rxmode/node`
 * failing to load. Loaded on first use.
 *
 * @example
 * inspectorModule()?.url(); // the ws:// URL while an inspector is open
 */
export function inspectorModule(): Inspector | undefined {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('node:inspector') as Inspector;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
