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
  const visit = (service: Service, depth: number) => {
    const indent = '  '.repeat(depth);
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
    for (const child of service.children) visit(child, depth + 1);
  };
  visit(root, 0);
  return `${lines.join('\n')}\n`;
}
