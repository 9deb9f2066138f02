import type { Service } from '../service/service.js';

/**
 * The service tree as text, for people (what the Worker prints on SIGUSR1): each service
 * indented by depth with its state, restart count and diag flags, then its pending tasks
 * and futures with the stack where each began (`humanTracebacks`).
 *
 * @example
 * process.stderr.write(describeTree(worker));
 * // Worker [running]
 * //   AppService [running]
 * //     UserCache [running] flags: REMOVING
 * //       pending: UserCache.removeExpired ...
 */
export function describeTree(root: Service): string {
  const lines = [`Service tree at ${new Date().toISOString()} (pid ${process.pid}):`];
  // An explicit stack, not recursion: a tree of any depth prints (a chain of 20,000 services).
  const stack: Array<[Service, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [service, depth] = stack.pop()!;
    const indent = indentFor(depth);
    const details = [`[${service.state}]`];
    if (service.restartCount > 0) details.push(`restarts: ${service.restartCount}`);
    const flags = [...service.diag.flags];
    if (flags.length > 0) details.push(`flags: ${flags.join(', ')}`);
    lines.push(`${indent}${service.label} ${details.join(' ')}`);
    const pending = service.humanTracebacks();
    if (pending.length > 0) {
      lines.push(`${indent}  pending:`);
      for (const line of pending.split('\n')) lines.push(`${indent}    ${line}`);
    }
    const children = service.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
  return `${lines.join('\n')}\n`;
}

/** Beyond this depth a line says its depth instead of indenting further. */
const MAX_INDENT = 40;

// Indenting a chain of 20,000 services in full would print 400 MB of spaces.
function indentFor(depth: number): string {
  return depth <= MAX_INDENT ? '  '.repeat(depth) : `${'  '.repeat(MAX_INDENT)}(depth ${depth}) `;
}
