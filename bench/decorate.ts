// A class with a thousand decorated methods cannot reasonably be written by hand, and
// decorators are only syntax for calling a function with a context. This applies the
// real `@timer` / `@task` decorators to generated methods exactly as the compiled
// `@decorator method() {}` would: the decorator gets the method and a method context, and
// the initializers it adds run on each instance at the start of its construction (right
// after `super()`, before the class's own fields, as TC39 decorators specify).
import { Service, type ServiceOptions } from '../src/index.js';

type Method<S> = (this: S, signal: AbortSignal) => unknown;
type MethodDecorator<S> = (method: Method<S>, context: ClassMethodDecoratorContext<S>) => void;

export interface GeneratedMethod<S> {
  name: string;
  body: Method<S>;
  decorator: MethodDecorator<S>;
}

/** A subclass of `Base` with each method defined on its prototype and decorated. */
export function withDecoratedMethods<S extends Service>(
  Base: new (options?: ServiceOptions) => S,
  methods: readonly GeneratedMethod<S>[],
  className = 'Generated',
): new (options?: ServiceOptions) => S {
  const initializers: Array<(this: S) => void> = [];
  const Generated = class extends (Base as new (options?: ServiceOptions) => Service) {
    constructor(options?: ServiceOptions) {
      super(options);
      for (const init of initializers) init.call(this as unknown as S);
    }
  };
  Object.defineProperty(Generated, 'name', { value: className });
  const metadata = {} as DecoratorMetadataObject;
  for (const { name, body, decorator } of methods) {
    Object.defineProperty(Generated.prototype, name, { value: body, writable: true, configurable: true });
    const context = {
      kind: 'method',
      name,
      static: false,
      private: false,
      metadata,
      access: {
        has: (obj: object) => name in obj,
        get: (obj: object) => (obj as Record<string, unknown>)[name],
      },
      addInitializer(init: (this: S) => void) {
        initializers.push(init);
      },
    } as unknown as ClassMethodDecoratorContext<S>;
    decorator(body, context);
  }
  return Generated as unknown as new (options?: ServiceOptions) => S;
}
