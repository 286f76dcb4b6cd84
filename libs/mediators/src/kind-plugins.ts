// Conventions for kind modules (stores, tests, build): see CONTRIBUTING.md at the repository root.
import { Injectable } from '@nestjs/common';
import type { KindOptions, KindStores, LifecycleEventPublisher, RequestPort } from '@mediator/core';

/**
 * Where the kind modules (events, commands, tasks, …) plug their adapters into the core mediator:
 * each registers its store, and the request/reply port, from its own module's onModuleInit. The
 * core provider passes whatever is registered to every ConcreteMediator it builds.
 */
@Injectable()
export class KindPlugins {
  readonly stores: Partial<KindStores> = {};
  readonly kinds: KindOptions = {};
  requests?: RequestPort;
  lifecycle?: LifecycleEventPublisher;

  registerStore<K extends keyof KindStores>(kind: K, store: KindStores[K]): void {
    this.stores[kind] = store;
  }

  configure<K extends keyof KindOptions>(kind: K, options: KindOptions[K]): void {
    this.kinds[kind] = options;
  }
}
