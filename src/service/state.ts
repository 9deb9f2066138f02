/** The five states of a service. */
export type ServiceState = 'init' | 'running' | 'stopping' | 'shutdown' | 'crashed';

/** Every transition a service may make; nothing else ever happens. */
export const TRANSITIONS: Readonly<Record<ServiceState, readonly ServiceState[]>> = {
  init: ['running'],
  running: ['stopping', 'crashed'],
  stopping: ['shutdown', 'crashed'],
  shutdown: ['init'],
  crashed: ['init'],
};

/** Whether a service may go from `from` to `to`. */
export function canTransition(from: ServiceState, to: ServiceState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** One transition of one service, as seen on `events$`. */
export interface ServiceEvent {
  readonly service: object;
  readonly label: string;
  readonly from: ServiceState;
  readonly to: ServiceState;
  /** The scheduler's `now()` at the transition. */
  readonly at: number;
  readonly reason?: unknown;
}
