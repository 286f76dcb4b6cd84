// Fakes of the ports a Nest service of the mediator talks to, and a testing module that wires a
// service to them through Nest's own DI (so a wrong injection token fails the spec, as at boot).
import type { Provider, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type ConcreteMediator, type KindStores, MediatorNotFoundError } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { OutboxRelay } from '@mediator/events';
import { CoreMediatorProvider, KindPlugins } from '@mediator/mediators';
import { MetricsService } from '@mediator/observability';

/** What a spec sees of the core: the named mediators it knows (the rest are not found). */
export interface FakeCore {
  mediator: jest.Mock<Promise<ConcreteMediator>, [string]>;
  registry: { create: jest.Mock; update: jest.Mock; remove: jest.Mock };
  /** Adds (or replaces) a named mediator whose kind facades are the given fakes. */
  knows(name: string, mediator: object): void;
}

export function fakeCore(): FakeCore {
  const known = new Map<string, object>();
  return {
    mediator: jest.fn(async (name: string) => {
      const found = known.get(name);
      if (!found) throw new MediatorNotFoundError(name);
      return found as ConcreteMediator;
    }),
    registry: { create: jest.fn(), update: jest.fn(), remove: jest.fn() },
    knows: (name, mediator) => void known.set(name, mediator),
  };
}

export function fakeRelay() {
  return { nudge: jest.fn() };
}

export function fakeMetrics() {
  return { messageSent: jest.fn() };
}

/** Enough of a TypeORM DataSource for the SQL stores' constructors; their queries are spied on. */
function fakeDataSource(): DataSource {
  return { isInitialized: false, options: { type: 'better-sqlite3' } } as unknown as DataSource;
}

export interface Ports {
  core: FakeCore;
  relay: ReturnType<typeof fakeRelay>;
  metrics: ReturnType<typeof fakeMetrics>;
  plugins: KindPlugins;
  /** Not yet initialised: a sweep that runs at bootstrap waits for a spec to set it. */
  dataSource: { isInitialized: boolean };
  config?: Partial<AppConfig>;
}

export function fakePorts(config?: Partial<AppConfig>): Ports {
  return {
    core: fakeCore(),
    relay: fakeRelay(),
    metrics: fakeMetrics(),
    plugins: new KindPlugins(),
    dataSource: fakeDataSource(),
    config,
  };
}

/**
 * The service built by Nest with the fakes bound to the real tokens, after its module init (so
 * the stores are registered and the sweeps started). Close the module to stop the sweeps.
 */
export async function compileService<T>(
  service: Type<T>,
  ports: Ports,
  extra: Provider[] = [],
): Promise<{ service: T; moduleRef: TestingModule }> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      service,
      { provide: CoreMediatorProvider, useValue: ports.core },
      { provide: OutboxRelay, useValue: ports.relay },
      { provide: MetricsService, useValue: ports.metrics },
      { provide: KindPlugins, useValue: ports.plugins },
      { provide: getDataSourceToken(), useValue: ports.dataSource },
      { provide: APP_CONFIG, useValue: ports.config ?? {} },
      ...extra,
    ],
  }).compile();
  await moduleRef.init();
  return { service: moduleRef.get(service), moduleRef };
}

/** Jest's clock (Date and timers) set to `now`; the sweeps run when a spec advances it. */
export function useFakeClock(now = '2026-01-01T00:00:00.000Z'): Date {
  jest.useFakeTimers({
    now: new Date(now),
    doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
  });
  return new Date(now);
}

/** A fake of one of the core's kind facades (`mediator.tasks`, …): one jest mock per method. */
export function fakeFacade<K extends string>(...methods: K[]): Record<K, jest.Mock> {
  return Object.fromEntries(methods.map((m) => [m, jest.fn()])) as Record<K, jest.Mock>;
}

/** Lets the work a service started in the background (`void promise.then(...)`) finish. */
export function settleBackgroundWork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The store a service registered for `kind` (the service keeps it private), typed as the SQL
 * queries a spec replaces; a store that was not registered fails the spec.
 */
export function registeredStore<Queries extends object>(
  ports: Ports,
  kind: keyof KindStores,
): Queries {
  const store = ports.plugins.stores[kind];
  if (!store) throw new Error(`no ${kind} store was registered at module init`);
  return store as unknown as Queries;
}
