import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Clock, MediatorError, UuidV7Generator } from '@mediator/core';
import {
  type AuditEntry,
  type AuditFilter,
  type AuditOutcome,
  AuditRepository,
  type Page,
  type PageRequest,
} from '@mediator/persistence';

/** One audited call as its transport saw it: the fields of its audit record. */
export interface AuditedCall {
  transport: AuditEntry['transport'];
  action: string;
  /**
   * The token's subject (`anonymous` when security is off). Absent when the caller had no valid
   * token: such refusals are counted per `ip`, action and code, not written one row each.
   */
  actor?: string;
  ip?: string;
  mediator?: string;
  target?: string;
  requestId?: string;
}

type AuditRecord = Omit<AuditEntry, 'id' | 'at' | 'mediator' | 'target' | 'requestId' | 'details'> &
  Partial<Pick<AuditEntry, 'mediator' | 'target' | 'requestId' | 'details'>>;

/** A refusal (forbidden, no valid token, rate limited) is `denied`; anything else an `error`. */
export function outcomeOf(error: unknown): AuditOutcome {
  return error instanceof MediatorError &&
    ['forbidden', 'unauthenticated', 'rate_limited'].includes(error.category)
    ? 'denied'
    : 'error';
}

function codeOf(error: unknown): string {
  return error instanceof MediatorError ? error.code : 'INTERNAL_ERROR';
}

const FLUSH_INTERVAL_MS = 50;
const MAX_BATCH = 200;
const DENIAL_WINDOW_MS = 60_000;
/** Distinct anonymous callers counted per window; past it they share one '*' row. */
const MAX_DENIAL_KEYS = 10_000;

/** A refused caller without a valid token: counted, not written one row each. */
interface AnonymousDenial {
  transport: AuditEntry['transport'];
  action: string;
  ip: string | undefined;
  code: string;
}

/**
 * Records who did what, on every transport: each transport reports an audited call once, as
 * `succeeded` or `failed`, and the record's outcome and code are decided here. Entries are written
 * in small batches so auditing costs the hot path one array push; a shutdown flushes what is left.
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

  /** The call did what it was asked. */
  succeeded(call: AuditedCall): void {
    this.record({ ...call, actor: call.actor ?? 'anonymous', outcome: 'ok' });
  }

  /**
   * The call was refused or failed: `denied` or `error` (outcomeOf) with the error's code. A
   * caller without a valid token (no `actor`) is counted instead (see recordAnonymousDenial).
   */
  failed(call: AuditedCall, error: unknown): void {
    const { transport, action, actor, ip } = call;
    if (actor === undefined)
      return this.recordAnonymousDenial({ transport, action, ip, code: codeOf(error) });
    this.record({
      transport,
      action,
      actor,
      mediator: call.mediator,
      target: call.target,
      requestId: call.requestId,
      outcome: outcomeOf(error),
      details: { code: codeOf(error) },
    });
  }

  private record(record: AuditRecord): void {
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
  private recordAnonymousDenial(denial: AnonymousDenial): void {
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
