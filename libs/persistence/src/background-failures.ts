import type { Logger } from '@nestjs/common';

/** How often a failure that keeps repeating is logged again (with its count). */
const REPEAT_LOG_MS = 60_000;

/**
 * True when the relational store is not connected (yet): TypeORM then answers every query with
 * errors about missing metadata or connection, which would read like bugs.
 */
export function isStoreNotConnected(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  const message = String((error as { message?: unknown })?.message ?? '');
  return (
    name === 'EntityMetadataNotFoundError' ||
    name === 'ConnectionIsNotSetError' ||
    /Connection is not established|No metadata for/.test(message)
  );
}

/**
 * The log of a background pass (a sweep, the outbox relay) that fails every second while a server
 * is away: the first failure is logged with its reason (the stack only for an unexpected error),
 * the same reason again at most once a minute with how often it happened, and the recovery once.
 */
export class BackgroundFailures {
  private reason?: string;
  private repeats = 0;
  private loggedAt = 0;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
  ) {}

  failed(error: unknown, now = Date.now()): void {
    const notConnected = isStoreNotConnected(error);
    const reason = notConnected
      ? 'the database is not connected'
      : String((error as Error)?.message);
    if (reason === this.reason && now - this.loggedAt < REPEAT_LOG_MS) {
      this.repeats++;
      return;
    }
    const again = reason === this.reason ? { failures: this.repeats + 1 } : {};
    this.reason = reason;
    this.repeats = 0;
    this.loggedAt = now;
    const err = notConnected ? reason : error;
    this.logger.warn({ err, ...again }, `${this.what} failed; retrying`);
  }

  succeeded(): void {
    if (this.reason === undefined) return;
    this.logger.log(`${this.what} works again`);
    this.reason = undefined;
    this.repeats = 0;
  }
}
