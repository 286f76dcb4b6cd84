import type { Principal } from '@mediator/auth';
import type { Access, Operation } from './operation';

const KAFKA_OPERATION = Symbol('kafka-operation');

interface Declaration {
  name: string;
  payload: new () => object;
  access: Access<object>;
}

/**
 * Declares the method as the `mediator-commands` operation `name` (CONTRACT §6): its payload
 * class (validated as the REST body is), who may run it (the REST route's rules), and its one
 * call, `method(payload, principal)`, whose result is the REST wire object (`null` for REST's
 * 204). The Kafka transport finds every such method of every provider at start-up.
 */
export function KafkaOperation<T extends object>(
  name: string,
  payload: new () => T,
  access: Access<T>,
) {
  return <M extends (payload: T, principal: Principal) => Promise<unknown>>(
    _target: object,
    _method: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    const declaration: Declaration = { name, payload, access: access as Access<object> };
    Reflect.defineMetadata(KAFKA_OPERATION, declaration, descriptor.value as object);
  };
}

/** The declared operations of these provider instances; a name declared twice is an error. */
export function collectOperations(providers: readonly object[]): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  const declaredBy = new Map<string, string>();
  for (const provider of providers) {
    for (const [method, declaration] of declarationsOf(provider)) {
      const where = `${provider.constructor.name}.${method}`;
      const earlier = declaredBy.get(declaration.name);
      if (earlier)
        throw new Error(
          `Kafka operation '${declaration.name}' is declared twice: by ${earlier} and by ${where}`,
        );
      declaredBy.set(declaration.name, where);
      const run = (provider as Record<string, Operation['run']>)[method].bind(provider);
      operations.set(declaration.name, {
        payload: declaration.payload,
        ...declaration.access,
        run,
      } as Operation);
    }
  }
  return operations;
}

function* declarationsOf(provider: object): Generator<[string, Declaration]> {
  const seen = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(provider) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const method of Object.getOwnPropertyNames(proto)) {
      if (seen.has(method) || method === 'constructor') continue;
      seen.add(method);
      const fn = Object.getOwnPropertyDescriptor(proto, method)?.value;
      if (typeof fn !== 'function') continue;
      const declaration = Reflect.getMetadata(KAFKA_OPERATION, fn) as Declaration | undefined;
      if (declaration) yield [method, declaration];
    }
  }
}
