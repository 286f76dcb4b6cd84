import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { OutboxRepository } from '@mediator/persistence';
import { MetricsService } from './metrics.service';

/** Keeps the gauges current and times every HTTP request (including rejected ones). */
@Injectable()
export class GaugeCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly metrics: MetricsService,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // A callback hook, not an async one: no promise per request for a synchronous observation.
    fastify?.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions?.url ?? 'unmatched';
      this.metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
    void this.refresh();
    // monitoring.collect_interval; the process metrics are read at each scrape instead.
    this.timer = setInterval(() => void this.refresh(), this.config.monitoring.collectIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      // Counted here, off the send path: the outbox relay does not count after every batch.
      const [mediators, colleagues, pending] = await Promise.all([
        this.dataSource.query('SELECT COUNT(*) AS n FROM mediators'),
        this.dataSource.query('SELECT COUNT(*) AS n FROM colleagues'),
        this.outbox.pendingCount(),
      ]);
      this.metrics.mediators.set(Number(mediators[0].n));
      this.metrics.colleagues.set(Number(colleagues[0].n));
      this.metrics.outboxPending.set(pending);
    } catch {
      // The database being down is reported by the health check; the gauges keep their last value.
    }
  }
}
