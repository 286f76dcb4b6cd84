import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Clock, UuidV7Generator } from '@mediator/core';
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
const DENIAL_WINDOW_MS = 60_000;
/** Distinct anonymous callers counted per window; past it they share one '*' row. */
const MAX_DENIAL_KEYS = 10_000;

/** A refused caller without a valid token: counted, not written one row each. */
export interface AnonymousDenial {
  transport: AuditEntry['transport'];
  action: string;
  ip: string | undefined;
  code: string;
}

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
  private denials = new Map<string, AnonymousDenial & { count: number; since: Date }>();
  private denialTimer?: NodeJS.Timeout;

  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(record: AuditRecord): void {
    this.buffer.push({
      id: this.ids.next(),
      at: this.clock.now(),
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

  /**
   * Denials of callers without a valid token are aggregated: one row per IP, action and code and
   * minute, with the count in `details`, so a flood of bad requests cannot grow the audit log.
   */
  recordAnonymousDenial(denial: AnonymousDenial): void {
    let key = `${denial.transport}|${denial.action}|${denial.code}|${denial.ip ?? ''}`;
    if (!this.denials.has(key) && this.denials.size >= MAX_DENIAL_KEYS) {
      denial = { ...denial, ip: '*' };
      key = `${denial.transport}|${denial.action}|${denial.code}|*`;
    }
    const counted = this.denials.get(key);
    if (counted) counted.count += 1;
    else this.denials.set(key, { ...denial, count: 1, since: this.clock.now() });
    this.denialTimer ??= setTimeout(() => this.recordDenialCounts(), DENIAL_WINDOW_MS).unref();
  }

  private recordDenialCounts(): void {
    clearTimeout(this.denialTimer);
    this.denialTimer = undefined;
    const counted = this.denials;
    this.denials = new Map();
    for (const { transport, action, ip, code, count, since } of counted.values())
      this.record({
        actor: 'anonymous',
        transport,
        action,
        outcome: 'denied',
        details: { code, ip: ip ?? null, count, since: since.toISOString() },
      });
  }

  async query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    this.recordDenialCounts();
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
    this.recordDenialCounts();
    await this.flush();
  }
}
