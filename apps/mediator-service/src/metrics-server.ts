import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { Logger } from 'pino';
import { register } from 'prom-client';
import type { AppConfig } from '@mediator/config';
import { PinoNestLogger } from '@mediator/observability';

const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** Prometheus metrics on their own port (CONTRACT §7), from the same process-wide registry. */
export async function startMetricsServer(
  config: AppConfig,
  logger: Logger,
): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      PrometheusModule.register({
        path: config.monitoring.path,
        defaultMetrics: { enabled: true },
      }),
    ],
  })
  class MetricsModule {}

  const app = await NestFactory.create<NestFastifyApplication>(
    MetricsModule,
    new FastifyAdapter(),
    // The process-wide Nest logger is set by whichever app is created last: keep it pino.
    { logger: new PinoNestLogger(logger) },
  );
  // prom-client names these gauges `…_total`, which `promtool check metrics` rejects (the suffix is
  // for counters); the process_* metrics and the heap/event-loop ones remain.
  for (const name of LINT_FAILING_DEFAULTS) register.removeSingleMetric(name);
  await app.listen(config.monitoring.port, config.server.host);
  logger.info(
    { port: config.monitoring.port, path: config.monitoring.path },
    'metrics server listening',
  );
  return app;
}
