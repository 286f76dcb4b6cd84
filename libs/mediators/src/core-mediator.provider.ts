import { Inject, Injectable } from '@nestjs/common';
import {
  ConcreteMediator,
  MediatorNotFoundError,
  MediatorRegistry,
  UuidV7Generator,
} from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { ColleagueRepository, MediatorRepository, MessageRepository } from '@mediator/persistence';
import { RealtimeHub } from '@mediator/realtime';

/**
 * The core mediator provider (DESIGN "one core, two homes"): hands every module the core's
 * MediatorRegistry and a ConcreteMediator per named mediator, wired to the real adapters —
 * SQL/document stores, Socket.IO delivery, lifecycle events through the outbox.
 */
@Injectable()
export class CoreMediatorProvider {
  readonly registry: MediatorRegistry;
  private readonly ids = new UuidV7Generator();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mediators: MediatorRepository,
    private readonly colleagues: ColleagueRepository,
    private readonly messages: MessageRepository,
    private readonly hub: RealtimeHub,
  ) {
    this.registry = new MediatorRegistry(this.coreConfig(), mediators, undefined, this.ids);
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
      },
    });
  }

  private coreConfig() {
    return {
      maxMediators: this.config.maxMediators,
      maxColleagues: this.config.maxColleagues,
      timeout: this.config.timeoutMs,
    };
  }
}
