// The live page's script: bundled by scripts/page-bundle.mjs (esbuild, at build time)
// and served inline in `/` by the health server. It follows `/events` and draws the tree.
import { eventSource$ } from './event-source.js';
import { eventsUrl, follow$ } from './follow.js';
import { TreeModel } from './model.js';
import { TreeView } from './render.js';

const model = new TreeModel();
const tree = document.getElementById('tree')!;
const status = document.getElementById('connection')!;
const counts = document.getElementById('counts')!;
const blocked = document.getElementById('blocked')!;
const view = new TreeView(tree, model);

// Draw once per animation frame however many events came; a hidden page has no frames,
// so a timer stands in (100 ms, the page's promise).
let frame: number | undefined;
let fallback: ReturnType<typeof setTimeout> | undefined;
function draw(): void {
  if (frame !== undefined) cancelAnimationFrame(frame);
  clearTimeout(fallback);
  frame = fallback = undefined;
  view.render();
  const parts = [`${model.size.toLocaleString('en-US')} services`];
  for (const [state, count] of Object.entries(model.counts)) if (count > 0) parts.push(`${count.toLocaleString('en-US')} ${state}`);
  counts.textContent = parts.join(' · ');
  const root = model.root;
  if (root) document.title = `${root.label}: ${root.state}`;
  if (model.blocked) {
    const { blockedMs, path, task } = model.blocked;
    const where = [path, task].filter(Boolean).join(' ');
    blocked.textContent = `Event loop blocked for ${(blockedMs / 1_000).toFixed(1)} s${where ? ` in ${where}` : ''} at ${new Date(model.blocked.at).toLocaleTimeString()}`;
    blocked.hidden = false;
  }
}
function schedule(): void {
  if (frame !== undefined || fallback !== undefined) return;
  frame = requestAnimationFrame(draw);
  fallback = setTimeout(draw, 100);
}

function setConnection(text: string, state: string): void {
  status.textContent = text;
  status.className = state;
}

follow$({ connect: (id) => eventSource$(eventsUrl('events', id), (url) => new EventSource(url)) }).subscribe((signal) => {
  if (signal.kind === 'connecting') {
    setConnection(signal.attempt === 1 ? 'connecting…' : `reconnecting (attempt ${signal.attempt})…`, 'connecting');
  } else if (signal.kind === 'open') {
    setConnection('live', 'open');
  } else {
    model.apply(signal.message, Date.now());
    schedule();
  }
});

setInterval(() => view.tick(Date.now()), 250);
view.tick(Date.now());
