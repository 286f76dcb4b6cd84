import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { AppConfig } from '@mediator/config';

/**
 * One pino logger for the process, shared with Fastify: JSON lines, or pino-pretty's readable
 * lines with `logging.format: pretty`, written to `logging.output` (stdout, stderr or a file).
 */
export function createPinoLogger(config: AppConfig): Logger {
  return pino(
    {
      level: config.logging.level,
      base: { service: config.name, version: config.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    logDestination(config.logging),
  );
}

/** stdout and stderr by file descriptor; any other output is a file, appended to. */
export function logDestination(logging: AppConfig['logging']): DestinationStream {
  const fd = { stdout: 1, stderr: 2 }[logging.output];
  const target = fd ?? logging.output;
  if (logging.format === 'pretty')
    // Synchronous, like pino.destination's default, so nothing is lost when the process exits.
    return pinoPretty({
      destination: target,
      sync: true,
      mkdir: true,
      colorize: fd !== undefined && Boolean(process.stdout.isTTY),
    });
  return pino.destination({ dest: target, sync: true, mkdir: true });
}

/** Nest's logger interface over pino, so framework and application logs are the same JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace',
    message: unknown,
    rest: unknown[],
  ): void {
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message && typeof message === 'object') {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.logger[level](
        { context, ...fields },
        typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : String(msg ?? ''),
      );
    } else {
      const trace =
        level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
      this.logger[level]({ context, ...(trace ? { trace } : {}) }, String(message));
    }
  }
  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
}

/**
 * One line per answered request, at debug. Fastify's own request logging (two info lines per
 * request) is switched off in main.ts: at the rates the service serves, writing them was a large
 * part of a cheap request's cost. With debug off, no hook is added at all.
 */
export function logRequestsAtDebug(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('debug')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
    done();
  });
}

type LogArgs = [unknown, ...unknown[]];

/**
 * Fastify's logger of one request (`request.log`), made on its first use. Fastify makes a pino
 * child per request for the request id binding; at the rates the service serves, that was ≈ 1–2 %
 * of a request's CPU, for a logger that requests answered without trouble never write to.
 */
export class LazyRequestLogger {
  private made?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: pino.Bindings,
    private readonly options: pino.ChildLoggerOptions,
  ) {}

  /** Made now: used by Fastify's childLoggerFactory option. */
  static factory(
    this: void,
    logger: Logger,
    bindings: pino.Bindings,
    options: pino.ChildLoggerOptions,
  ): LazyRequestLogger {
    return new LazyRequestLogger(logger, bindings, options);
  }

  private get logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }
  set level(level: string) {
    this.logger.level = level;
  }
  isLevelEnabled(level: string): boolean {
    return this.logger.isLevelEnabled(level);
  }
  fatal(...args: LogArgs): void {
    (this.logger.fatal as (...a: LogArgs) => void)(...args);
  }
  error(...args: LogArgs): void {
    (this.logger.error as (...a: LogArgs) => void)(...args);
  }
  warn(...args: LogArgs): void {
    (this.logger.warn as (...a: LogArgs) => void)(...args);
  }
  info(...args: LogArgs): void {
    (this.logger.info as (...a: LogArgs) => void)(...args);
  }
  debug(...args: LogArgs): void {
    (this.logger.debug as (...a: LogArgs) => void)(...args);
  }
  trace(...args: LogArgs): void {
    (this.logger.trace as (...a: LogArgs) => void)(...args);
  }
  silent(): void {}
  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): Logger {
    return this.logger.child(bindings, options);
  }
}
