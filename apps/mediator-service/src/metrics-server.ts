import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { Logger } from 'pino';
import type { AppConfig } from '@mediator/config';
import { PinoNestLogger } from '@mediator/observability';

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
  await app.listen(config.monitoring.port, config.server.host);
  logger.info(
    { port: config.monitoring.port, path: config.monitoring.path },
    'metrics server listening',
  );
  return app;
}
