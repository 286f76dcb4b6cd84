import { Inject, Injectable } from '@nestjs/common';
import {
  Clock,
  ConcreteMediator,
  type LifecycleEventPublisher,
  MediatorNotFoundError,
  MediatorRegistry,
  RoundRobin,
  UuidV7Generator,
} from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import {
  ColleagueRepository,
  MediatorRepository,
  MessageRepository,
  OutboxRepository,
} from '@mediator/persistence';
import { HubRequestPort, RealtimeHub } from '@mediator/realtime';
import { KIND_BINDINGS, type KindBindings } from './kind-library';

/**
 * The core mediator provider (DESIGN "one core, two homes"): hands every module the core's
 * MediatorRegistry and a ConcreteMediator per named mediator, wired to the real adapters —
 * SQL/document stores, Socket.IO delivery, lifecycle events through the outbox.
 */
@Injectable()
export class CoreMediatorProvider {
  readonly registry: MediatorRegistry;
  private readonly ids = new UuidV7Generator();
  /** One handler rotation per named mediator, kept across the per-call ConcreteMediators. */
  private readonly rotations = new Map<string, RoundRobin>();
  /** Events that belong to no stored change (command_completed, …) still go through the outbox. */
  private readonly lifecycle: LifecycleEventPublisher;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mediators: MediatorRepository,
    private readonly colleagues: ColleagueRepository,
    private readonly messages: MessageRepository,
    private readonly hub: RealtimeHub,
    /** Commands, queries, steps, … go to their handler over Socket.IO (answers also over REST). */
    private readonly requests: HubRequestPort,
    @Inject(KIND_BINDINGS) private readonly kinds: KindBindings,
    outbox: OutboxRepository,
    /** The service's one clock: the core's timestamps, due times and expiries come from it. */
    private readonly clock: Clock,
  ) {
    this.lifecycle = { publish: (event) => outbox.append(event) };
    this.registry = new MediatorRegistry(this.coreConfig(), mediators, clock, this.ids);
  }

  /** The named mediator, or MediatorNotFoundError. Look-ups come from the cache. */
  async mediator(name: string): Promise<ConcreteMediator> {
    const info = await this.mediators.find(name);
    if (!info) throw new MediatorNotFoundError(name);
    return new ConcreteMediator(this.coreConfig(), {
      name,
      maxColleagues: info.maxColleagues,
      ports: {
        directory: this.colleagues,
        messages: this.messages,
        delivery: this.hub,
        ids: this.ids,
        clock: this.clock,
        requests: this.requests,
        lifecycle: this.lifecycle,
      },
      stores: this.kinds.stores,
      kinds: this.kinds.options,
      roundRobin: this.rotation(name),
    });
  }

  private rotation(name: string): RoundRobin {
    let rotation = this.rotations.get(name);
    if (!rotation) this.rotations.set(name, (rotation = new RoundRobin()));
    return rotation;
  }

  private coreConfig() {
    return {
      maxMediators: this.config.maxMediators,
      maxColleagues: this.config.maxColleagues,
      // A caller that names no timeout waits 30 s at most, whatever `timeout` allows.
      timeout: this.config.defaultWaitMs,
      // Query replies are cached for `cache.ttl` (not at all with the cache off).
      queryCacheTtl: this.config.cache.enabled ? this.config.cache.ttlMs : 0,
    };
  }
}
