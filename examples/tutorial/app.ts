import { Service } from '../../src/service/service.js';
import { ServiceProxy } from '../../src/service/proxy.js';
import { UserCache } from './user-cache.js';
import { Webserver } from './webserver.js';
import { Websockets } from './websockets.js';

export interface AppConfig {
  webPort?: number;
  wsPort?: number;
  bind?: string;
}

/** The service App runs: its dependencies are the app's three services. */
class AppService extends Service {
  constructor(readonly app: App) {
    super();
  }

  override onInitDependencies(): Service[] {
    return [this.app.websockets, this.app.webserver, this.app.userCache];
  }

  override onStart(): void {
    this.log.info('App is starting');
  }
}

/**
 * mode's tutorial App: a ServiceProxy, so the app object stays cheap to create (at module
 * level, say) and its services are made lazily, once.
 */
export class App extends ServiceProxy {
  readonly webPort: number;
  readonly wsPort: number;
  readonly bind: string;
  #websockets: Websockets | undefined;
  #webserver: Webserver | undefined;
  #userCache: UserCache | undefined;

  constructor(config: AppConfig = {}) {
    super({ name: 'App' });
    this.webPort = config.webPort ?? 8000;
    this.wsPort = config.wsPort ?? 8001;
    this.bind = config.bind ?? '127.0.0.1';
  }

  protected get service(): Service {
    return new AppService(this);
  }

  get websockets(): Websockets {
    return (this.#websockets ??= new Websockets(this.wsPort, this.bind));
  }

  get webserver(): Webserver {
    return (this.#webserver ??= new Webserver(this.webPort, this.bind, this.userCache));
  }

  get userCache(): UserCache {
    return (this.#userCache ??= new UserCache());
  }
}
