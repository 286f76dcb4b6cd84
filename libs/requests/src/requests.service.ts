import { Injectable } from '@nestjs/common';
import type { JsonValue } from '@mediator/core';
import { OutboxRelay } from '@mediator/events';
import { CoreMediatorProvider } from '@mediator/mediators';
import { MetricsService } from '@mediator/observability';

export interface RequestCommand {
  senderId: string;
  type: string;
  data: unknown;
  timeoutMs?: number;
}

/**
 * Commands and queries: each goes to exactly one handler of its type (round-robin over the
 * online ones) and resolves with its reply; a query's reply is cached for `cache.ttl`.
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly relay: OutboxRelay,
    private readonly metrics: MetricsService,
  ) {}

  execute(mediatorName: string, command: RequestCommand): Promise<unknown> {
    return this.request('command', mediatorName, command);
  }

  query(mediatorName: string, query: RequestCommand): Promise<unknown> {
    return this.request('query', mediatorName, query);
  }

  private async request(
    kind: 'command' | 'query',
    mediatorName: string,
    request: RequestCommand,
  ): Promise<unknown> {
    const mediator = await this.core.mediator(mediatorName);
    try {
      const reply = await mediator.request(
        request.senderId,
        request.type,
        request.data as JsonValue,
        { kind, timeoutMs: request.timeoutMs },
      );
      this.metrics.messageSent(kind, 'ok');
      return reply;
    } catch (error) {
      this.metrics.messageSent(kind, 'error');
      throw error;
    } finally {
      this.relay.nudge();
    }
  }
}
