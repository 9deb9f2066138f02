import type { Beacon } from '../../tree/beacon.js';
import { labelOf } from '../../tree/graph.js';

/** The numbers given out for one label among one parent's children. */
interface Suffixes {
  /** The next number never given out. */
  next: number;
  /** Numbers given back, ascending: taken again first, so a replaced service keeps its path. */
  free: number[];
}

interface Named {
  readonly path: string;
  readonly label: string;
  readonly n: number;
  /** `{"path":...,"label":...` as JSON, made on first use: every event of a service begins with it. */
  json?: string;
}

/**
 * The path of each service of a tree: its ancestors' labels and its own joined by `/`
 * (`App/Webserver`), a label repeated among siblings numbered `#2`, `#3`... in the order
 * they joined. A path stays the service's while it stays in the tree, whatever its
 * siblings do; a newcomer takes the lowest number free, so a service that takes the place
 * of one that left (a supervisor's replacement) takes its path too.
 *
 * Names are kept, not recomputed, so a path costs a map lookup however wide the tree.
 *
 * @example
 * const names = new PathNames(app.beacon);
 * names.pathOf(web.beacon);        // 'App/Webserver'
 * names.pathOf(secondWeb.beacon);  // 'App/Webserver#2'
 */
export class PathNames {
  readonly #named = new Map<Beacon, Named>();
  readonly #suffixes = new Map<Beacon, Map<string, Suffixes>>();

  /** Names `root` (its label alone) and its subtree, breadth first. */
  constructor(readonly root: Beacon) {
    const label = labelOf(root.data);
    this.#named.set(root, { path: label, label, n: 1 });
    this.#nameChildren(root);
  }

  /** How many services are named. */
  get size(): number {
    return this.#named.size;
  }

  /** Every named beacon, the root first. */
  beacons(): IterableIterator<Beacon> {
    return this.#named.keys();
  }

  /** The path of `beacon`, or undefined if it is not in the tree. */
  pathOf(beacon: Beacon): string | undefined {
    return this.#named.get(beacon)?.path;
  }

  /**
   * `{"path":"…","label":"…"` (an unclosed JSON object) for `beacon`, kept: the start of
   * each of its events, escaped once rather than at every event. Undefined if not named.
   */
  jsonHead(beacon: Beacon): string | undefined {
    const named = this.#named.get(beacon);
    if (!named) return undefined;
    return (named.json ??= `{"path":${JSON.stringify(named.path)},"label":${JSON.stringify(labelOf(beacon.data))}`);
  }

  /**
   * Names `beacon` (just put under a named parent) and its subtree; returns its path, or
   * undefined when its parent is not in the tree (or it is named already).
   */
  add(beacon: Beacon): string | undefined {
    const parent = beacon.parent;
    if (!parent || this.#named.has(beacon) || !this.#named.has(parent)) return undefined;
    const path = this.#name(beacon, parent);
    this.#nameChildren(beacon);
    return path;
  }

  /**
   * Forgets `beacon` (just taken from `parent`) and its subtree, giving its number back;
   * returns the path it had, or undefined if it was not in the tree.
   */
  remove(beacon: Beacon, parent: Beacon): string | undefined {
    const named = this.#named.get(beacon);
    if (!named || beacon === this.root) return undefined;
    const suffixes = this.#suffixes.get(parent)?.get(named.label);
    if (suffixes) giveBack(suffixes, named.n);
    for (const node of beacon.traverse()) {
      this.#named.delete(node);
      this.#suffixes.delete(node);
    }
    return named.path;
  }

  #nameChildren(top: Beacon): void {
    const queue: Beacon[] = [top];
    for (let i = 0; i < queue.length; i++) {
      const parent = queue[i]!;
      for (const child of parent.children) {
        if (this.#named.has(child)) continue; // a hand-made cycle: named once
        this.#name(child, parent);
        queue.push(child);
      }
    }
  }

  #name(beacon: Beacon, parent: Beacon): string {
    const label = labelOf(beacon.data);
    let byLabel = this.#suffixes.get(parent);
    if (!byLabel) this.#suffixes.set(parent, (byLabel = new Map()));
    let suffixes = byLabel.get(label);
    if (!suffixes) byLabel.set(label, (suffixes = { next: 1, free: [] }));
    const n = suffixes.free.length > 0 ? suffixes.free.shift()! : suffixes.next++;
    const path = `${this.#named.get(parent)!.path}/${n === 1 ? label : `${label}#${n}`}`;
    this.#named.set(beacon, { path, label, n });
    return path;
  }
}

function giveBack(suffixes: Suffixes, n: number): void {
  if (n === suffixes.next - 1) {
    suffixes.next = n;
    // Numbers freed earlier that now sit at the end are no longer "given out" either.
    while (suffixes.free.length > 0 && suffixes.free[suffixes.free.length - 1] === suffixes.next - 1) {
      suffixes.next = suffixes.free.pop()!;
    }
    return;
  }
  const free = suffixes.free;
  let at = free.length;
  while (at > 0 && free[at - 1]! > n) at--;
  free.splice(at, 0, n);
}
