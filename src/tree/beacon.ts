import { beaconChanges$ } from './changes.js';
import { type ServiceGraph, beaconGraph } from './graph.js';

/**
 * A node in the tree of services (mode's `Node`, renamed because `Node` is a DOM global).
 * The tree has one source of truth: each beacon knows its parent and its children, and
 * `root` and `depth` are walked, never stored, so reattaching a subtree can never leave
 * a stale root behind (mode's does).
 *
 * @example
 * const app = new Beacon('app');
 * const web = app.new('web');
 * web.depth;          // 2
 * web.root === app;   // true
 * [...app.traverse()].map((b) => b.data); // ['app', 'web']
 */
export class Beacon<T = unknown> {
  #parent: Beacon<T> | undefined;
  // Made with the first child: most beacons in a large tree are leaves.
  #children: Beacon<T>[] | undefined;

  constructor(
    readonly data: T,
    parent?: Beacon<T>,
  ) {
    if (parent) this.reattach(parent);
  }

  get parent(): Beacon<T> | undefined {
    return this.#parent;
  }

  get children(): readonly Beacon<T>[] {
    return this.#children ?? NO_CHILDREN;
  }

  /** The topmost beacon of this tree (itself when it has no parent). */
  get root(): Beacon<T> {
    let node: Beacon<T> = this;
    while (node.#parent) node = node.#parent;
    return node;
  }

  /** 1 for a root, 2 for its children, and so on (as mode counts). */
  get depth(): number {
    let depth = 1;
    for (let node = this.#parent; node; node = node.#parent) depth++;
    return depth;
  }

  /** The labels from the root down to this beacon, joined with `/`. */
  get path(): string {
    return [...this.walk()].reverse().map((node) => labelOf(node.data)).join('/');
  }

  /** Makes a child beacon for `data`. */
  new(data: T): Beacon<T> {
    return new Beacon(data, this);
  }

  /**
   * Moves this beacon (with its subtree) under `parent`. Throws a TypeError when that
   * would make a cycle: `parent` is this beacon or one of its descendants.
   */
  reattach(parent: Beacon<T>): this {
    // Only a beacon with children can be its new parent's ancestor: a leaf skips the walk
    // up, which made building a chain of n services take n²/2 steps.
    const canCycle = parent === this || (this.#children !== undefined && this.#children.length > 0);
    for (let node: Beacon<T> | undefined = canCycle ? parent : undefined; node; node = node.#parent) {
      if (node === this) {
        throw new TypeError(
          parent === this
            ? `cannot attach ${labelOf(this.data)} to itself`
            : `cannot attach ${labelOf(this.data)} under ${labelOf(parent.data)}: that would make a cycle`,
        );
      }
    }
    if (this.#parent === parent) return this;
    this.detach();
    this.#parent = parent;
    (parent.#children ??= []).push(this);
    if (beaconChanges$.observed) beaconChanges$.next({ beacon: this, parent, change: 'added' });
    return this;
  }

  /** Removes this beacon (with its subtree) from its parent. */
  detach(): this {
    const parent = this.#parent;
    if (parent) {
      // A beacon is always among its parent's children: only this and reattach set either.
      const siblings = parent.#children!;
      siblings.splice(siblings.indexOf(this), 1);
      this.#parent = undefined;
      if (beaconChanges$.observed) beaconChanges$.next({ beacon: this, parent, change: 'removed' });
    }
    return this;
  }

  /** This beacon, then its parent, and so on up to the root. */
  *walk(): IterableIterator<Beacon<T>> {
    for (let node: Beacon<T> | undefined = this; node; node = node.#parent) yield node;
  }

  /** Every beacon of this subtree, breadth first, starting with this one. */
  *traverse(): IterableIterator<Beacon<T>> {
    const queue: Beacon<T>[] = [this];
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i]!;
      yield node;
      if (node.#children) queue.push(...node.#children);
    }
  }

  /**
   * A snapshot of this subtree as a graph, for `toDot()`, `toMermaid()` and `toJSON()`.
   *
   * @example
   * console.log(app.beacon.asGraph().toDot());
   */
  asGraph(): ServiceGraph {
    return beaconGraph(this);
  }

  toString(): string {
    return `Beacon: ${this.path}`;
  }
}

const NO_CHILDREN: readonly never[] = Object.freeze([]);

function labelOf(data: unknown): string {
  if (typeof data === 'object' && data !== null) {
    const named = data as { shortlabel?: unknown; label?: unknown };
    if (typeof named.shortlabel === 'string') return named.shortlabel;
    if (typeof named.label === 'string') return named.label;
  }
  return String(data);
}
