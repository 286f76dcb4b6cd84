import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { UuidV7Generator } from '@mediator/core';
import {
  type AuditEntry,
  type AuditFilter,
  AuditRepository,
  type Page,
  type PageRequest,
} from '@mediator/persistence';

export type AuditRecord = Omit<
  AuditEntry,
  'id' | 'at' | 'mediator' | 'target' | 'requestId' | 'details'
> &
  Partial<Pick<AuditEntry, 'mediator' | 'target' | 'requestId' | 'details'>>;

const FLUSH_INTERVAL_MS = 50;
const MAX_BATCH = 200;

/**
 * Records who did what, on every transport. Entries are written in small batches so auditing
 * costs the hot path one array push; a shutdown flushes what is left.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private readonly ids = new UuidV7Generator();
  private buffer: AuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly repository: AuditRepository) {}

  record(record: AuditRecord): void {
    this.buffer.push({
      id: this.ids.next(),
      at: new Date(),
      mediator: record.mediator ?? null,
      target: record.target ?? null,
      requestId: record.requestId ?? null,
      details: record.details ?? {},
      actor: record.actor,
      transport: record.transport,
      action: record.action,
      outcome: record.outcome,
    });
    if (this.buffer.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  async query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    await this.flush();
    return this.repository.query(filter, page);
  }

  /** Writes everything recorded so far. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.repository.append(batch);
      } catch (error) {
        this.logger.error(
          { err: error, count: batch.length },
          'audit write failed; retrying with the next batch',
        );
        this.buffer.unshift(...batch);
        this.timer ??= setTimeout(() => void this.flush(), 1000);
      }
    });
    return this.flushing;
  }

  // Before, not on, shutdown: the database connections close in onApplicationShutdown, and a
  // flush that races them loses the last entries.
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
