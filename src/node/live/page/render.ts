import type { ServiceView, TreeModel } from './model.js';
import { STATES } from './model.js';

/** Options of {@link TreeView}. */
export interface TreeViewOptions {
  /** Services this deep or deeper start collapsed (the root is depth 1; default 4). */
  collapseDepth?: number;
  /** A service with more children than this starts collapsed, at any depth (default 200). */
  wideLimit?: number;
  /** Timeline scale: how many ms one pixel of a lane stands for (default 250). */
  msPerPixel?: number;
}

interface Row {
  readonly li: HTMLLIElement;
  readonly toggle: HTMLButtonElement;
  readonly state: HTMLElement;
  readonly ready: HTMLElement;
  readonly restarts: HTMLElement;
  readonly extra: HTMLElement;
  readonly strip: HTMLElement;
  /** The children's list when open, the summary line when collapsed. */
  below: HTMLElement | undefined;
}

/**
 * Draws a {@link TreeModel} as nested lists, one `<li>` per shown service carrying
 * `data-path`, `data-state` and `data-restarts`. Only what changed is touched: a row's
 * text when it is dirty, a list when its children changed, everything after a snapshot.
 * Subtrees deeper than `collapseDepth`, or wider than `wideLimit`, are collapsed to one
 * line that counts their services by state (click to open), so a tree of 10,000 services
 * or a restart storm costs a frame only what is on screen.
 *
 * Each row ends in a timeline lane: a strip of marbles (one per transition, coloured by
 * the state entered) that slides left as time passes, moved by one CSS variable.
 */
export class TreeView {
  readonly #rows = new Map<string, Row>();
  readonly #open = new Map<string, boolean>();
  readonly #collapseDepth: number;
  readonly #wideLimit: number;
  readonly #msPerPixel: number;
  readonly #epoch: number;
  readonly #doc: Document;

  constructor(
    readonly list: HTMLElement,
    readonly model: TreeModel,
    options: TreeViewOptions = {},
    now: number = Date.now(),
  ) {
    this.#collapseDepth = options.collapseDepth ?? 4;
    this.#wideLimit = options.wideLimit ?? 200;
    this.#msPerPixel = options.msPerPixel ?? 250;
    this.#epoch = now;
    this.#doc = list.ownerDocument;
    list.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest?.('button.toggle');
      const path = button?.closest('li')?.getAttribute('data-path');
      if (path == null) return;
      const view = model.get(path);
      if (!view) return;
      this.#open.set(path, !this.#isOpen(view));
      this.#fillBelow(view, this.#rows.get(path)!);
    });
  }

  /** How many services have an element now. */
  get shown(): number {
    return this.#rows.size;
  }

  /** Draws what changed since the last call, then marks the model clean. */
  render(): void {
    const model = this.model;
    if (model.reset) {
      this.#rows.clear();
      this.list.replaceChildren();
      const root = model.root;
      if (root) this.list.append(this.#build(root));
    } else {
      const summaries = new Set<string>();
      for (const path of model.reshaped) {
        const row = this.#rows.get(path);
        const view = model.get(path);
        if (row && view) this.#fillBelow(view, row);
        else this.#noteHidden(path, summaries);
      }
      for (const path of model.dirty) {
        const row = this.#rows.get(path);
        const view = model.get(path);
        if (row && view) this.#update(view, row);
        else this.#noteHidden(path, summaries);
      }
      for (const path of summaries) {
        const row = this.#rows.get(path);
        const view = model.get(path);
        if (row && view && !this.#isOpen(view)) this.#fillBelow(view, row);
      }
    }
    model.clean();
  }

  /** Slides every lane to `now` (one style change for all of them). */
  tick(now: number): void {
    this.#doc.documentElement.style.setProperty('--shift', `${((now - this.#epoch) / this.#msPerPixel).toFixed(1)}px`);
  }

  #isOpen(view: ServiceView): boolean {
    return this.#open.get(view.path) ?? (view.depth < this.#collapseDepth && view.children.length <= this.#wideLimit);
  }

  // A change below a collapsed service shows in its summary line: find it.
  #noteHidden(path: string, summaries: Set<string>): void {
    for (let view = this.model.get(path); view; view = view.parent === undefined ? undefined : this.model.get(view.parent)) {
      if (this.#rows.has(view.path)) {
        summaries.add(view.path);
        return;
      }
    }
  }

  #build(top: ServiceView): HTMLLIElement {
    const row = this.#row(top);
    this.#fillBelow(top, row);
    return row.li;
  }

  #row(view: ServiceView): Row {
    const doc = this.#doc;
    const li = doc.createElement('li');
    li.className = 'svc';
    li.setAttribute('data-path', view.path);
    li.style.setProperty('--depth', String(view.depth));
    const line = doc.createElement('div');
    line.className = 'row';
    const toggle = doc.createElement('button');
    toggle.className = 'toggle';
    toggle.type = 'button';
    const name = doc.createElement('span');
    name.className = 'name';
    name.textContent = view.label;
    name.title = view.path;
    const number = /#(\d+)$/.exec(view.path);
    if (number) {
      const suffix = doc.createElement('small');
      suffix.textContent = ` #${number[1]}`;
      name.append(suffix);
    }
    const span = (cls: string) => {
      const el = doc.createElement('span');
      el.className = cls;
      return el;
    };
    const state = span('state');
    const ready = span('ready');
    const restarts = span('restarts');
    const extra = span('extra');
    const lane = span('lane');
    const strip = span('strip');
    lane.append(strip);
    line.append(toggle, name, state, ready, restarts, extra, lane);
    li.append(line);
    const row: Row = { li, toggle, state, ready, restarts, extra, strip, below: undefined };
    this.#rows.set(view.path, row);
    this.#update(view, row);
    return row;
  }

  #update(view: ServiceView, row: Row): void {
    const { li } = row;
    li.setAttribute('data-state', view.state);
    li.setAttribute('data-restarts', String(view.restarts));
    li.setAttribute('data-ready', String(view.ready));
    row.state.textContent = view.state;
    row.ready.textContent = view.state === 'running' ? (view.ready ? 'ready' : 'starting') : '';
    row.restarts.textContent = view.restarts > 0 ? `↻ ${view.restarts}` : '';
    row.restarts.title = view.lastReason ? `last: ${view.lastAction ?? 'crashed'}: ${view.lastReason}` : '';
    row.extra.textContent = details(view);
    const doc = this.#doc;
    const marbles = view.marbles.map((marble) => {
      const dot = doc.createElement('i');
      dot.className = `m ${marble.to}`;
      dot.style.left = `${((marble.at - this.#epoch) / this.#msPerPixel).toFixed(1)}px`;
      dot.title = marble.to;
      return dot;
    });
    row.strip.replaceChildren(...marbles);
  }

  // The children's list (open) or the summary line (collapsed) under a row.
  #fillBelow(view: ServiceView, row: Row): void {
    const doc = this.#doc;
    const hasChildren = view.children.length > 0;
    const open = this.#isOpen(view);
    row.toggle.textContent = hasChildren ? (open ? '▾' : '▸') : '';
    row.toggle.disabled = !hasChildren;
    if (!hasChildren) {
      if (row.below) this.#forget(row.below);
      row.below?.remove();
      row.below = undefined;
      return;
    }
    if (!open) {
      const summary = doc.createElement('div');
      summary.className = 'summary';
      summary.textContent = summarize(this.model, view);
      this.#replaceBelow(row, summary);
      return;
    }
    let list = row.below;
    const fresh = !list || list.tagName !== 'UL';
    if (fresh) list = doc.createElement('ul'); // filled before it is put in the page: one layout
    const wanted = new Set(view.children);
    for (const child of [...list!.children]) {
      const path = child.getAttribute('data-path');
      if (path === null || !wanted.has(path)) {
        this.#forget(child);
        child.remove();
      }
    }
    let at = 0;
    for (const path of view.children) {
      const child = this.model.get(path);
      if (!child) continue;
      const existing = this.#rows.get(path)?.li;
      const li = existing ?? this.#build(child);
      if (list!.children[at] !== li) list!.insertBefore(li, list!.children[at] ?? null);
      at += 1;
    }
    if (fresh) this.#replaceBelow(row, list!);
  }

  #replaceBelow(row: Row, element: HTMLElement): void {
    if (row.below) {
      this.#forget(row.below);
      row.below.replaceWith(element);
    } else {
      row.li.append(element);
    }
    row.below = element;
  }

  // Drops the rows of every service element in `element` (and its own), as it leaves the page.
  #forget(element: Element): void {
    const path = element.getAttribute('data-path');
    if (path !== null) this.#rows.delete(path);
    for (const li of element.querySelectorAll('li[data-path]')) this.#rows.delete(li.getAttribute('data-path')!);
  }
}

/** `12 services below: 10 running, 2 crashed`. */
export function summarize(model: TreeModel, view: ServiceView): string {
  const counts: Record<string, number> = {};
  let total = 0;
  const queue = [...view.children];
  for (let i = 0; i < queue.length; i++) {
    const child = model.get(queue[i]!);
    if (!child) continue;
    total += 1;
    counts[child.state] = (counts[child.state] ?? 0) + 1;
    queue.push(...child.children);
  }
  const parts = STATES.filter((state) => counts[state]).map((state) => `${counts[state]!.toLocaleString('en-US')} ${state}`);
  return `${total.toLocaleString('en-US')} service${total === 1 ? '' : 's'} below: ${parts.join(', ')}`;
}

/** A row's detail text: the supervisor's budget, the timers' drift and overlaps, diag flags. */
export function details(view: ServiceView): string {
  const parts: string[] = [];
  if (view.budget) {
    const { used, maxRestarts, overMs } = view.budget;
    parts.push(`budget ${used}/${maxRestarts ?? '∞'} in ${duration(overMs)}`);
  }
  for (const timer of view.timers ?? []) {
    const drift = timer.lastDriftMs === 0 ? '0' : `${timer.lastDriftMs > 0 ? '+' : ''}${timer.lastDriftMs}ms`;
    parts.push(`${timer.name} every ${duration(timer.intervalMs)}: drift ${drift}, ${timer.drifting} drifting, ${timer.overlaps} overlaps`);
  }
  if (view.flags.length > 0) parts.push(view.flags.join(', '));
  return parts.join(' · ');
}

function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1_000 && ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
