import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  type AppConfig,
  ConfigError,
  type LoadedConfig,
  loadConfigWithWarnings,
  weakSecretWarning,
} from '@mediator/config';
import { COLLEAGUE_ID_PATTERN, MEDIATOR_NAME_PATTERN } from '@mediator/core';
import {
  acceptEmptyJsonBodies,
  AllExceptionsFilter,
  answerWrongMethodsWith405,
  configureJsonLimits,
  correctReflectedTypes,
  createValidationPipe,
  frameworkErrorHandler,
} from '@mediator/http';
import { HttpAuditTrail } from '@mediator/audit';
import { KafkaCommandServer } from '@mediator/kafka';
import { documentLiveness, LIVENESS_PATH, LivenessRoute } from '@mediator/health';
import {
  createPinoLogger,
  LazyRequestLogger,
  logRequestsAtDebug,
  MetricsService,
  PinoNestLogger,
} from '@mediator/observability';
import { RESOURCE_NAME_PATTERN } from '@mediator/kinds/resource';
import { SERVICE_NAME_PATTERN } from '@mediator/kinds/service';
import { AppModule } from './app.module';
import { answerLivenessDirectly } from './direct-liveness';
import { helmetHeaders, registerHttpHeaders, requestIdOf } from './http-hardening';
import { startMetricsServer } from './metrics-server';
import { ConfiguredIoAdapter } from './socket-io.adapter';

/** `--strict`: an unknown config key stops start-up instead of being a warning. */
function readConfig(): LoadedConfig {
  try {
    return loadConfigWithWarnings(process.env, process.cwd(), {
      strict: process.argv.includes('--strict'),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const { config, warnings } = readConfig();
  const logger = createPinoLogger(config);
  for (const warning of warnings) logger.warn(warning);
  const insecure = weakSecretWarning(config);
  if (insecure) logger.warn(insecure);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.server.bodyLimit,
    // The caller's x-request-id is vetted by requestIdOf, not taken as it comes.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Ids are at most 128 characters; longer path parameters are rejected with the error body.
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: frameworkErrorHandler,
    // Requests are logged at debug (logRequestsAtDebug), not two info lines each.
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made when something logs, not for every request.
    childLoggerFactory: LazyRequestLogger.factory as never,
  });
  const cors = {
    origins: config.server.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'retry-after'],
  };
  const apiHeaders = registerHttpHeaders(adapter.getInstance(), cors, await helmetHeaders());
  acceptEmptyJsonBodies(adapter.getInstance());
  answerWrongMethodsWith405(adapter.getInstance());
  logRequestsAtDebug(adapter.getInstance(), logger);
  // A callback hook: an async one costs a promise on every response.
  adapter.getInstance().addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Fastify's own JSON parser, with acceptEmptyJsonBodies, instead of Nest's re-registration.
    bodyParser: false,
  });
  // HTTP audit records: failures from the filter, successes from the trail's response hook.
  const auditTrail = app.get(HttpAuditTrail);
  app.useGlobalFilters(
    new AllExceptionsFilter((request, error) => auditTrail.failed(request, error)),
  );
  configureJsonLimits({ maxJsonDepth: config.server.maxJsonDepth });
  app.useGlobalPipes(createValidationPipe());
  if (config.websocket.enabled) app.useWebSocketAdapter(new ConfiguredIoAdapter(app, config));
  setUpOpenApi(app, config);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });

  if (config.messageQueue.enabled) {
    // Hybrid app: the Kafka transport shares the app's modules; it connects in the background.
    app.connectMicroservice({ strategy: app.get(KafkaCommandServer) });
    await app.startAllMicroservices();
  }
  await app.listen(config.server.port, config.server.host);
  // After listen: Socket.IO's request listeners are in place by then, and liveness skips them too.
  // With debug logging on, liveness goes through Fastify, whose hook logs each request.
  if (!logger.isLevelEnabled('debug')) {
    const liveness = app.get(LivenessRoute);
    const metrics = app.get(MetricsService);
    answerLivenessDirectly(app.getHttpServer(), {
      api: apiHeaders,
      isLive: () => liveness.live,
      observe: (seconds) => metrics.httpRequest('GET', LIVENESS_PATH, 200, seconds),
    });
  }
  const metrics = config.monitoring.enabled ? await startMetricsServer(config, logger) : undefined;
  const { websocket } = config;
  logger.info(
    {
      port: config.server.port,
      websocket: websocket.enabled ? { path: websocket.path, port: websocket.port } : 'disabled',
    },
    `${config.name} listening`,
  );

  // Graceful shutdown: Nest closes the listener, drains, flushes audit and outbox, closes stores.
  // The timer only ends a shutdown that takes longer than server.shutdown_timeout.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, config.server.shutdownTimeoutMs).unref();
      void metrics?.close();
    });
  }
}

function setUpOpenApi(app: NestFastifyApplication, config: AppConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Mediator Service')
      .setDescription(
        'Colleagues talk to each other only through named mediators. Errors share one body ' +
          '(`status_code`, `error`, `code`, `message`, `request_id`). ' +
          socketIoWhere(config),
      )
      .setVersion(config.version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  correctReflectedTypes(document, {
    '{name}': MEDIATOR_NAME_PATTERN,
    'colleagues/{id}': COLLEAGUE_ID_PATTERN,
    '{resource}': RESOURCE_NAME_PATTERN,
    '{service}': SERVICE_NAME_PATTERN,
  });
  documentLiveness(document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}

function socketIoWhere({ websocket, server }: AppConfig): string {
  if (!websocket.enabled) return 'Socket.IO is switched off (websocket.enabled: false).';
  const port = websocket.port === server.port ? 'the same port' : `port ${websocket.port}`;
  return `Socket.IO is served at \`${websocket.path}\` on ${port}.`;
}

void bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
