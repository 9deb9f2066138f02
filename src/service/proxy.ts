import type { Observable, ObservableInput } from 'rxjs';
import type { Beacon } from '../tree/beacon.js';
import type { Diag } from './diag.js';
import { Service, type SupervisorLike } from './service.js';
import type { ServiceEvent, ServiceState } from './state.js';

/**
 * A service that hands its whole lifecycle to another one, which its subclass makes
 * (lazily, once) in `protected get service()`. Its label stays its own class name.
 *
 * @example
 * class Database extends ServiceProxy {
 *   protected get service() { return new PostgresPool({ url: this.url }); }
 *   constructor(private url: string) { super(); }
 * }
 */
export abstract class ServiceProxy extends Service {
  #target: Service | undefined;

  protected abstract get service(): Service;

  /** The service behind the proxy, made on first use. */
  get target(): Service {
    return (this.#target ??= this.service);
  }

  override get supervisor(): SupervisorLike | null {
    return this.target.supervisor;
  }
  override set supervisor(supervisor: SupervisorLike | null) {
    this.target.supervisor = supervisor;
  }
  override get beacon(): Beacon {
    return this.target.beacon;
  }
  override get diag(): Diag {
    return this.target.diag;
  }
  override get state(): ServiceState {
    return this.target.state;
  }
  override get state$(): Observable<ServiceState> {
    return this.target.state$;
  }
  override get ready$(): Observable<boolean> {
    return this.target.ready$;
  }
  override get stopped$(): Observable<void> {
    return this.target.stopped$;
  }
  override get signal(): AbortSignal {
    return this.target.signal;
  }
  override get events$(): Observable<ServiceEvent> {
    return this.target.events$;
  }
  override get shouldStop(): boolean {
    return this.target.shouldStop;
  }
  override get crashReason(): unknown {
    return this.target.crashReason;
  }
  override get restartCount(): number {
    return this.target.restartCount;
  }
  override get children(): readonly Service[] {
    return this.target.children;
  }

  override start$(): Observable<void> {
    return this.target.start$();
  }
  override maybeStart$(): Observable<boolean> {
    return this.target.maybeStart$();
  }
  override stop$(): Observable<void> {
    return this.target.stop$();
  }
  override restart$(): Observable<void> {
    return this.target.restart$();
  }
  override crash(reason: unknown): Promise<void> {
    return this.target.crash(reason);
  }
  override serviceReset(): void {
    this.target.serviceReset();
  }
  override setShutdown(): void {
    this.target.setShutdown();
  }
  override waitUntilStopped(): Promise<void> {
    return this.target.waitUntilStopped();
  }
  override addDependency<S extends Service>(service: S): S {
    return this.target.addDependency(service);
  }
  override addRuntimeDependency<S extends Service>(service: S): Promise<S> {
    return this.target.addRuntimeDependency(service);
  }
  override removeDependency<S extends Service>(service: S): Promise<S> {
    return this.target.removeDependency(service);
  }
  override addContext<T extends Disposable>(ctx: T): T {
    return this.target.addContext(ctx);
  }
  override addAsyncContext<T extends AsyncDisposable>(ctx: T): Promise<T> {
    return this.target.addAsyncContext(ctx);
  }
  override addFuture<T>(input: ObservableInput<T>): Promise<T | undefined> {
    return this.target.addFuture(input);
  }
  override tracebacks(): Record<string, string> {
    return this.target.tracebacks();
  }
}
