import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './script.js';
import { PAGE_STYLE } from './style.js';

const NO_SCRIPT =
  "document.getElementById('connection').textContent = 'this build has no page script (run node scripts/build.mjs)';";
// `</script` cannot appear inside an inline script (esbuild already writes it as `<\/script`).
const SCRIPT = (PAGE_SCRIPT || NO_SCRIPT).replace(/<\/(script)/gi, '<\\/$1');

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * What `/` may load: its own inline script and style (by hash) and `/events` on the same
 * origin, nothing else. A browser enforces it, so the page cannot fetch from elsewhere
 * even if a label in the tree tried to inject something.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The live page: one HTML document with its stylesheet and script inline (one request,
 * no CDN). The script fills `#tree` from `/events`.
 *
 * @example
 * res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP });
 * res.end(pageHtml('Worker'));
 */
export function pageHtml(title: string): string {
  const name = escapeHtml(title);
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${name}</title>\n<style>${PAGE_STYLE}</style></head>\n<body>\n` +
    `<header><h1>${name}</h1><span id="connection" class="connecting">connecting…</span>` +
    '<span id="counts"></span><span class="axis">timeline: the last minute →</span><div id="blocked" hidden></div></header>\n' +
    '<main><ul id="tree"></ul></main>\n' +
    '<footer><a href="status">/status</a> · <a href="events">/events</a> · <a href="metrics">/metrics</a> · ' +
    '<a href="graph.dot">/graph.dot</a> · <a href="livez">/livez</a> · <a href="readyz">/readyz</a></footer>\n' +
    `<script>${SCRIPT}</script>\n</body></html>\n`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
