import { CORE, transition } from './core.js';
import { ServiceStateError } from './errors.js';
import { Run } from './run.js';
import type { Service } from './service.js';

/**
 * Resets a service and its whole subtree for another run: restartCount + 1, a fresh Run,
 * no crash reason, state `init`. All or nothing: while any service of the subtree is
 * still running or stopping, it throws a ServiceStateError naming it and resets none.
 *
 * @example
 * await svc.stop();
 * resetTree(svc); // svc.state === 'init', svc.restartCount === 1
 */
export function resetTree(service: Service, kind: typeof Service): void {
  for (const node of service.beacon.traverse()) {
    const member = node.data;
    if (member instanceof kind && (member.state === 'running' || member.state === 'stopping')) {
      const who = member === service ? '' : ` (its dependency ${member.label} is ${member.state})`;
      throw new ServiceStateError(`cannot reset ${service.label}: it is ${service.state}${who}; stop it first`, member.state);
    }
  }
  for (const node of service.beacon.traverse()) {
    if (node.data instanceof kind) resetOne(node.data);
  }
}

function resetOne(service: Service): void {
  const core = service[CORE];
  core.restartCount++;
  core.run = new Run();
  core.crashReason = undefined;
  if (core.state !== 'init') transition(service, 'init');
}
