// Fakes of the ports a Nest service of the mediator talks to, and testing modules that wire a
// service to them through Nest's own DI (so a wrong injection token fails the spec, as at boot).
// Used by the unit specs of the Nest services, beside them in their libraries.
import {
  type DynamicModule,
  type InjectionToken,
  Module,
  type Provider,
  type Type,
} from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  Clock,
  type ConcreteMediator,
  type KindOptions,
  type KindStores,
  MediatorNotFoundError,
  systemClock,
} from '@mediator/core';
import { AuditService } from '@mediator/audit';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { CoreMediatorProvider, type KindLibrary } from '@mediator/mediators';
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

export function fakeMetrics() {
  return { messageSent: jest.fn() };
}

/** Enough of a TypeORM DataSource for the SQL stores' constructors; their queries are spied on. */
function fakeDataSource(): DataSource {
  return { isInitialized: false, options: { type: 'better-sqlite3' } } as unknown as DataSource;
}

export interface Ports {
  core: FakeCore;
  metrics: ReturnType<typeof fakeMetrics>;
  /** Not yet initialised: a sweep that runs at bootstrap waits for a spec to set it. */
  dataSource: { isInitialized: boolean };
  config?: Partial<AppConfig>;
}

export function fakePorts(config?: Partial<AppConfig>): Ports {
  return {
    core: fakeCore(),
    metrics: fakeMetrics(),
    dataSource: fakeDataSource(),
    config,
  };
}

/** The fakes under the tokens the services inject. */
function portProviders(ports: Ports): Provider[] {
  return [
    { provide: CoreMediatorProvider, useValue: ports.core },
    { provide: MetricsService, useValue: ports.metrics },
    { provide: getDataSourceToken(), useValue: ports.dataSource },
    { provide: APP_CONFIG, useValue: ports.config ?? {} },
    // The system clock: the specs drive time with jest's fake timers, which also fake Date.now.
    { provide: Clock, useValue: systemClock },
  ];
}

/**
 * The service built by Nest with the fakes bound to the real tokens, after its module init (so
 * the sweeps are started). Close the module to stop the sweeps.
 */
export async function compileService<T>(
  service: Type<T>,
  ports: Ports,
  extra: Provider[] = [],
): Promise<{ service: T; moduleRef: TestingModule }> {
  const moduleRef = await Test.createTestingModule({
    providers: [service, ...portProviders(ports), ...extra],
  }).compile();
  await moduleRef.init();
  return { service: moduleRef.get(service), moduleRef };
}

@Module({})
class FakePortsModule {}

/** A value in place of a provider of the kind's module (a store whose queries a spec fakes). */
export interface Override {
  provide: InjectionToken;
  useValue: unknown;
}

/** A kind's service, and the core ports and options its module binds, as the core gets them. */
export interface CompiledKind<T> {
  service: T;
  moduleRef: TestingModule;
  stores: Partial<KindStores>;
  options: Partial<KindOptions>;
}

/**
 * The kind library's own Nest module (its service, store bindings, options, controller and Kafka
 * operations) built by Nest on the fakes, after its module init; the stores and options are
 * resolved from the tokens the library declares, as CoreMediatorModule injects them. The cache and the audit service the routes' interceptor
 * needs are empty: no route is called here. Close the module to stop the sweeps.
 */
export async function compileKind<T>(
  kind: KindLibrary,
  service: Type<T>,
  ports: Ports,
  overrides: Override[] = [],
): Promise<CompiledKind<T>> {
  const fakes: DynamicModule = {
    module: FakePortsModule,
    global: true,
    providers: [
      ...portProviders(ports),
      { provide: CACHE_MANAGER, useValue: {} },
      { provide: AuditService, useValue: {} },
    ],
    exports: [
      CoreMediatorProvider,
      MetricsService,
      getDataSourceToken(),
      APP_CONFIG,
      Clock,
      CACHE_MANAGER,
      AuditService,
    ],
  };
  let builder = Test.createTestingModule({ imports: [fakes, kind.module] });
  for (const { provide, useValue } of overrides)
    builder = builder.overrideProvider(provide).useValue(useValue);
  const moduleRef = await builder.compile();
  await moduleRef.init();
  const resolve = (tokens: object = {}) =>
    Object.fromEntries(
      Object.entries(tokens).map(([port, token]) => [
        port,
        moduleRef.get(token as InjectionToken, { strict: false }),
      ]),
    );
  return {
    service: moduleRef.get(service, { strict: false }),
    moduleRef,
    stores: resolve(kind.stores) as Partial<KindStores>,
    options: resolve(kind.options) as Partial<KindOptions>,
  };
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
 * The store a kind's module binds to the core's `port` (the service keeps it private), typed as
 * the SQL queries a spec replaces; a port the module does not bind fails the spec.
 */
export function boundStore<Queries extends object>(
  kind: Pick<CompiledKind<unknown>, 'stores'>,
  port: keyof KindStores,
): Queries {
  const store = kind.stores[port];
  if (!store) throw new Error(`the kind's module binds no store to the core's '${port}' port`);
  return store as unknown as Queries;
}
