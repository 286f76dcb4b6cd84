import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { type JsonValue, ValidationError } from '@mediator/core';
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
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    this.checkTimeout(request.timeoutMs);
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
    }
  }

  /** The config's `timeout` is the longest a caller may make the service wait for a reply. */
  private checkTimeout(timeoutMs: number | undefined): void {
    const max = this.config.timeoutMs;
    if (timeoutMs !== undefined && timeoutMs > max)
      throw new ValidationError('the request is not valid', [
        {
          field: 'timeout_ms',
          problem: `timeout_ms must not exceed ${max} (the config's timeout)`,
        },
      ]);
  }
}
