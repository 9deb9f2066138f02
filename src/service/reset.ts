import { ServiceCore } from './core.js';
import { ServiceStateError } from './errors.js';

/**
 * Resets a service and its whole subtree for another run: restartCount + 1, a fresh Run,
 * no crash reason, state `init`. All or nothing: while any service of the subtree is
 * still running or stopping, it throws a ServiceStateError naming it and resets none.
 *
 * @example
 * await svc.stop();
 * resetTree(svc[CORE]); // svc.state === 'init', svc.restartCount === 1
 */
export function resetTree(core: ServiceCore): void {
  // A leaf without the walk's generator and queue: a crash loop resets the same leaf
  // thousands of times (resetTree was 1.2% of W4). One throw for a leaf and a subtree, not
  // a copy for the leaf: 26 bytes gzipped less of a Service bundle (measured, with crash.ts).
  const leaf = core.children.length === 0;
  for (const node of leaf ? [core] : core.traverse()) {
    if (node instanceof ServiceCore && (node.state === 'running' || node.state === 'stopping')) {
      const who = node === core ? '' : ` (its dependency ${node.label} is ${node.state})`;
      throw new ServiceStateError(`cannot reset ${core.label}: it is ${core.state}${who}; stop it first`, node.state);
    }
  }
  for (const node of leaf ? [core] : core.traverse()) if (node instanceof ServiceCore) node.reset();
}
