import type { Service } from '../../service/index.js';
import { type LifecycleCheck, LifecycleFailure, checkHandles, checkStep, describe } from './checks.js';
import type { LifecycleCallName, LifecycleModel, Prediction } from './model.js';
import { type Outcome, outcomeOf, settle } from './settle.js';
import { type LifecycleReal, type World, canonical, topService } from './world.js';

/** The reason every crash() of the check gives. */
const CRASH_REASON = 'crash() called by the lifecycle check';

/** How a step is run: the user's own check after it, and whether to look for open handles. */
export interface StepSettings<S extends Service> {
  readonly check?: LifecycleCheck<S>;
  readonly handles: boolean;
}

/** One of the check's own calls on `target`, then the model's prediction of it and the checks. */
export async function callStep<S extends Service>(
  world: World<S>,
  call: LifecycleCallName,
  target: Service,
  label: string,
  settings: StepSettings<S>,
): Promise<void> {
  const before = world.snapshot();
  const outcome: Outcome = await outcomeOf(call === 'crash' ? target.crash(new Error(CRASH_REASON)) : target[call]());
  await settle(world.services);
  const fresh = world.discover();
  for (const service of fresh) world.model.know(service, 'init', service.restartCount);
  const prediction = world.model.predict(call, canonical(target), before, world.shape(), fresh);
  for (const service of fresh) if (!prediction.touched.has(service)) world.model.adopt(service, service.state);
  checkStep(world, { label, outcome, prediction, before }, settings.check);
  const atRest = world.services.every((s) => s.state === 'init' || s.state === 'shutdown');
  if (settings.handles && call === 'stop' && atRest) await checkHandles(world, label);
}

/**
 * A command of the user's own: run it, then predict what it announced with
 * `real.expect()` and take the other states as it left them, then the checks.
 */
export async function customStep<S extends Service>(
  world: World<S>,
  run: (model: LifecycleModel, real: LifecycleReal<S>) => Promise<void> | void,
  label: string,
  settings: StepSettings<S>,
): Promise<void> {
  const before = world.snapshot();
  world.expectations = [];
  try {
    await run(world.model, world);
  } catch (error) {
    throw new LifecycleFailure(`${label} threw ${describe(error)}`, [...world.calls], { cause: error });
  }
  await settle(world.services);
  const fresh = world.discover();
  for (const service of fresh) world.model.know(service, 'init', service.restartCount);
  const after = world.shape();
  const prediction: Prediction = { outcome: 'resolves', touched: new Set(), teardowns: [] };
  for (const [service, call] of world.expectations) {
    const each = world.model.predict(call, canonical(service), before, after, fresh);
    for (const touched of each.touched) prediction.touched.add(touched);
    prediction.teardowns.push(...each.teardowns);
  }
  world.expectations = [];
  for (const service of world.services) if (!prediction.touched.has(service)) world.model.adopt(service, service.state);
  checkStep(world, { label, prediction, before }, settings.check);
}

/**
 * The end of every run: each tree stopped from its top, then anything still running or
 * crashed and not torn down, each a checked step; then (`handles: true`) no handle the
 * run opened may still be open.
 */
export async function finalStep<S extends Service>(world: World<S>, settings: StepSettings<S>): Promise<void> {
  const model = world.model;
  const live = (s: Service) => model.state(s) === 'running' || (model.state(s) === 'crashed' && !model.tornDown(s));
  for (let service = world.services.find(live); service; service = world.services.find(live)) {
    const top = topService(service);
    const target = live(top) ? top : service;
    await callStep(world, 'stop', target, `the final stop of ${target.label}`, { ...settings, handles: false });
  }
  if (settings.handles) await checkHandles(world, 'the final stop');
  world.close();
}
