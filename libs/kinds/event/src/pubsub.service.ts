import { Injectable } from '@nestjs/common';
import type { JsonValue, PublishResult, StoredEvent } from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import type { Page, PageRequest } from '@mediator/persistence';
import { MetricsService } from '@mediator/observability';
import { SqlEventStore } from './sql-event.store';

export interface PublishEventCommand {
  senderId: string;
  type: string;
  data: unknown;
  id?: string;
}

/** Events published to the subscribers of their type, and their history — for every transport. */
@Injectable()
export class PubSubService {
  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly events: SqlEventStore,
    private readonly metrics: MetricsService,
  ) {}

  async publish(mediatorName: string, command: PublishEventCommand): Promise<PublishResult> {
    const mediator = await this.core.mediator(mediatorName);
    try {
      const published = await mediator.publishEvent(
        command.senderId,
        command.type,
        command.data as JsonValue,
        { id: command.id },
      );
      this.metrics.messageSent('event', 'ok');
      return published;
    } catch (error) {
      this.metrics.messageSent('event', 'error');
      throw error;
    }
  }

  async history(
    mediatorName: string,
    type: string | undefined,
    page: PageRequest,
  ): Promise<Page<StoredEvent>> {
    await this.core.mediator(mediatorName);
    return this.events.page(mediatorName, type, page);
  }
}
