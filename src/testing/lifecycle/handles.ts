/** Node's list of what keeps the event loop alive; not in browsers. */
interface ProcessLike {
  getActiveResourcesInfo?: () => string[];
}

function resources(): string[] | undefined {
  return (globalThis as { process?: ProcessLike }).process?.getActiveResourcesInfo?.();
}

/**
 * Throws unless this runtime can list its active handles (Node's
 * `process.getActiveResourcesInfo()`), which `handles: true` needs.
 */
export function assertHandlesAvailable(who: string): void {
  if (!resources()) {
    throw new Error(
      `${who}: handles: true needs Node (process.getActiveResourcesInfo()), which this runtime does not have; leave handles out in browsers`,
    );
  }
}

/** How many active handles of each type (Timeout, TCPSocketWrap...) the process has now. */
export function activeHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of resources() ?? []) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The handles open now that were not open `before`, as words ("1 Timeout, 2
 * TCPSocketWrap"), or undefined when there are none. A closed server or socket leaves the
 * list a tick or more after its close: this looks again every 10 ms while the list still
 * changes, and answers once it has stood still for `steadyMs` (or after `capMs`).
 */
export async function handlesLeft(before: ReadonlyMap<string, number>, steadyMs = 100, capMs = 1000): Promise<string | undefined> {
  const began = Date.now();
  let last = '';
  let since = began;
  for (;;) {
    // Counted after each sleep has fired, so the sleep's own timer is not among them.
    const extra: string[] = [];
    for (const [type, count] of activeHandles()) {
      const more = count - (before.get(type) ?? 0);
      if (more > 0) extra.push(`${more} ${type}`);
    }
    const now = Date.now();
    const words = extra.join(', ');
    if (words === '') return undefined;
    if (words !== last) {
      last = words;
      since = now;
    }
    if (now - since >= steadyMs || now - began >= capMs) return words;
    await sleep(10);
  }
}
