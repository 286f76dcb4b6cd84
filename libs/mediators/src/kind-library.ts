import type { InjectionToken, Type } from '@nestjs/common';
import { type KindOptions, type KindStores, STORE_KINDS } from '@mediator/core';
import type { SqlTables } from '@mediator/persistence/sql';

/**
 * What a kind's library (libs/kinds/<kind>) gives the service, listed once in the app's KINDS:
 * its Nest module (controller, service, Kafka operations, store), the core ports that module
 * binds and exports (port name → provider token), the options it sets, and its SQL tables.
 */
export interface KindLibrary {
  module: Type;
  stores: { [K in keyof KindStores]?: InjectionToken<KindStores[K]> };
  options?: { [K in keyof KindOptions]?: InjectionToken<KindOptions[K]> };
  tables?: SqlTables;
}

/** The core mediator's kind adapters, as the kind libraries bound them. */
export interface KindBindings {
  stores: KindStores;
  options: KindOptions;
}

export const KIND_BINDINGS = Symbol('KindBindings');

type Binding = { kind: string; name: string; token: InjectionToken };

const bindingsOf = (kinds: readonly KindLibrary[], field: 'stores' | 'options') =>
  kinds.flatMap((kind) =>
    Object.entries(kind[field] ?? {}).map(
      ([name, token]): Binding => ({
        kind: kind.module.name,
        name,
        token: token as InjectionToken,
      }),
    ),
  );

/**
 * The provider of KindBindings: injects every store and option the kind libraries declare, and
 * refuses to start without a store for each kind of the core (or with two for one), naming it.
 */
export function kindBindingsProvider(kinds: readonly KindLibrary[]) {
  const stores = bindingsOf(kinds, 'stores');
  const options = bindingsOf(kinds, 'options');
  return {
    provide: KIND_BINDINGS,
    inject: [...stores, ...options].map((binding) => binding.token),
    useFactory: (...values: unknown[]): KindBindings => {
      const bound = assemble(stores, values.slice(0, stores.length)) as Partial<KindStores>;
      requireEveryStore(bound);
      return {
        stores: bound as KindStores,
        options: assemble(options, values.slice(stores.length)) as KindOptions,
      };
    },
  };
}

function assemble(bindings: Binding[], values: unknown[]): Record<string, unknown> {
  const assembled: Record<string, unknown> = {};
  bindings.forEach(({ kind, name }, i) => {
    if (name in assembled) throw new Error(`two kind libraries bind '${name}' (${kind} is one)`);
    assembled[name] = values[i];
  });
  return assembled;
}

/** Every store the core needs is bound: otherwise the boot fails naming the kind. */
export function requireEveryStore(stores: Partial<KindStores>): void {
  for (const [port, kind] of Object.entries(STORE_KINDS))
    if (!stores[port as keyof KindStores])
      throw new Error(
        `no store for the ${kind} kind (the core's '${port}' port): add the kind's library ` +
          'to KINDS in apps/mediator-service/src/kinds.ts',
      );
}
