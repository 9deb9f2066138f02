import type {
  BlockedEvent, LiveBudget, LiveEventType, LiveEvents, LiveNode, LiveTimer, RestartEvent, StatsEvent, TransitionEvent,
  TreeEvent,
} from '../protocol.js';

/** One message of the stream, as the page receives it. */
export interface LiveMessage<K extends LiveEventType = LiveEventType> {
  readonly type: K;
  /** The SSE id ('' if none). */
  readonly id: string;
  readonly data: LiveEvents[K];
}

/** One dot on a service's timeline. */
export interface Marble {
  /** When the page heard of it (its own clock, ms). */
  readonly at: number;
  /** The state it went to. */
  readonly to: string;
}

/** What the page knows of one service. */
export interface ServiceView {
  readonly path: string;
  readonly label: string;
  readonly parent: string | undefined;
  /** 1 for the root. */
  readonly depth: number;
  state: string;
  restarts: number;
  ready: boolean;
  flags: string[];
  budget: LiveBudget | undefined;
  timers: LiveTimer[] | undefined;
  children: string[];
  marbles: Marble[];
  /** The last thing its supervisor did about it, and why. */
  lastAction: string | undefined;
  lastReason: string | undefined;
}

/** The states, for counting. */
export const STATES = ['init', 'running', 'stopping', 'shutdown', 'crashed'] as const;

/**
 * The tree as the page knows it, kept from the `/events` stream: a `snapshot` replaces
 * it, each later event changes it in O(1) (a tree change in the size of what moved).
 * Pure: no DOM, no clock of its own (each `apply` says when). It records what changed
 * since the renderer last looked (`dirty`, `reshaped`, `reset`), so a burst of events
 * is drawn once per frame.
 *
 * @example
 * const model = new TreeModel();
 * model.apply({ type: 'snapshot', id: '1', data: status }, Date.now());
 * model.get('App/Web')?.state; // 'running'
 */
export class TreeModel {
  readonly #services = new Map<string, ServiceView>();
  #root: string | undefined;
  /** Services whose row changed. */
  readonly dirty = new Set<string>();
  /** Services whose list of children changed. */
  readonly reshaped = new Set<string>();
  /** True after a snapshot: everything is new. */
  reset = false;
  /** How many services are in each state. */
  readonly counts: Record<string, number> = {};
  /** The last blocked-loop report, with when it came. */
  blocked: (BlockedEvent & { at: number }) | undefined;
  /** How many marbles a lane keeps. */
  readonly laneLength: number;

  constructor(options: { laneLength?: number } = {}) {
    this.laneLength = options.laneLength ?? 24;
  }

  get root(): ServiceView | undefined {
    return this.#root === undefined ? undefined : this.#services.get(this.#root);
  }

  get size(): number {
    return this.#services.size;
  }

  get(path: string): ServiceView | undefined {
    return this.#services.get(path);
  }

  /** Takes one message in; `now` is the page's clock when it arrived. */
  apply(message: LiveMessage, now: number): void {
    switch (message.type) {
      case 'snapshot':
        return this.#snapshot((message as LiveMessage<'snapshot'>).data.tree);
      case 'transition':
        return this.#transition((message as LiveMessage<'transition'>).data, now);
      case 'restart':
        return this.#restart((message as LiveMessage<'restart'>).data);
      case 'tree':
        return this.#tree((message as LiveMessage<'tree'>).data);
      case 'stats':
        return this.#stats((message as LiveMessage<'stats'>).data);
      case 'blocked':
        this.blocked = { ...(message as LiveMessage<'blocked'>).data, at: now };
        return;
    }
  }

  /** Forgets what changed (the renderer drew it). */
  clean(): void {
    this.dirty.clear();
    this.reshaped.clear();
    this.reset = false;
  }

  #snapshot(tree: LiveNode): void {
    this.#services.clear();
    for (const state of Object.keys(this.counts)) this.counts[state] = 0;
    this.#root = tree.path;
    this.#add(tree, undefined, 1);
    this.clean();
    this.reset = true;
  }

  #add(top: LiveNode, parent: string | undefined, depth: number): void {
    const queue: Array<[LiveNode, string | undefined, number]> = [[top, parent, depth]];
    for (let i = 0; i < queue.length; i++) {
      const [node, parentPath, level] = queue[i]!;
      const view: ServiceView = {
        path: node.path,
        label: node.label,
        parent: parentPath,
        depth: level,
        state: node.state ?? 'init',
        restarts: node.restartCount ?? 0,
        ready: node.ready ?? false,
        flags: node.flags ?? [],
        budget: node.budget,
        timers: node.timers,
        children: node.children.map((child) => child.path),
        marbles: [],
        lastAction: undefined,
        lastReason: undefined,
      };
      const old = this.#services.get(view.path);
      if (old) this.#count(old.state, -1);
      this.#services.set(view.path, view);
      this.#count(view.state, 1);
      for (const child of node.children) queue.push([child, node.path, level + 1]);
    }
  }

  #transition(event: TransitionEvent, now: number): void {
    const view = this.#services.get(event.path);
    if (!view) return;
    this.#count(view.state, -1);
    this.#count(event.to, 1);
    view.state = event.to;
    // serviceReset() is what counts a restart, and it is the only way back to init.
    if (event.to === 'init' && (event.from === 'shutdown' || event.from === 'crashed')) view.restarts += 1;
    if (event.to !== 'running') view.ready = false;
    if (event.reason !== undefined) view.lastReason = event.reason;
    view.marbles.push({ at: now, to: event.to });
    if (view.marbles.length > this.laneLength) view.marbles.splice(0, view.marbles.length - this.laneLength);
    this.dirty.add(view.path);
  }

  #restart(event: RestartEvent): void {
    const view = this.#services.get(event.path);
    if (view) {
      view.lastAction = event.action;
      if (event.reason !== undefined) view.lastReason = event.reason;
      this.dirty.add(view.path);
    }
    const supervisor = this.#services.get(event.supervisor);
    if (supervisor && event.budget) {
      supervisor.budget = event.budget;
      this.dirty.add(supervisor.path);
    }
  }

  #tree(event: TreeEvent): void {
    if (event.change === 'added') {
      if (!event.node) return;
      const parentPath = event.parent ?? event.path.slice(0, event.path.lastIndexOf('/'));
      const parent = this.#services.get(parentPath);
      if (!parent) return;
      this.#remove(event.path);
      this.#add(event.node, parent.path, parent.depth + 1);
      if (!parent.children.includes(event.path)) parent.children.push(event.path);
      this.reshaped.add(parent.path);
      return;
    }
    const view = this.#services.get(event.path);
    if (!view) return;
    this.#remove(event.path);
    const parent = view.parent === undefined ? undefined : this.#services.get(view.parent);
    if (parent) {
      parent.children = parent.children.filter((path) => path !== event.path);
      this.reshaped.add(parent.path);
    }
  }

  #remove(path: string): void {
    const queue = [path];
    for (let i = 0; i < queue.length; i++) {
      const view = this.#services.get(queue[i]!);
      if (!view) continue;
      this.#services.delete(view.path);
      this.#count(view.state, -1);
      this.dirty.delete(view.path);
      queue.push(...view.children);
    }
  }

  #stats(event: StatsEvent): void {
    for (const stats of event.services) {
      const view = this.#services.get(stats.path);
      if (!view) continue;
      if (stats.ready !== undefined) view.ready = stats.ready;
      if (stats.timers !== undefined) view.timers = stats.timers;
      if (stats.budget !== undefined) view.budget = stats.budget;
      this.dirty.add(view.path);
    }
  }

  #count(state: string, delta: number): void {
    this.counts[state] = (this.counts[state] ?? 0) + delta;
  }
}
