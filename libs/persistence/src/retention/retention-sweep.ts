import type { AppConfig } from '@mediator/config';
import { type Expiry, type PurgeBatch, RetentionStore } from './retention-store';

/** Final statuses (nothing will happen to the row again) of a message recipient and of a task. */
export const ACKED = 'acked';
export const DEAD = 'dead';
const FINISHED_TASKS = ['completed', DEAD];

/** What one pass deleted, per kind of data. */
export type PurgeCounts = Record<'messages' | 'audit' | 'events' | 'jobRuns' | 'tasks', number>;

/**
 * One pass of the retention sweep: for every kind with a retention (0 keeps it forever), deletes
 * what is older in batches of `batchSize` rows, pausing `batchPauseMs` between batches so the
 * sends and reads it runs beside never wait long on it, until a batch comes back short.
 */
export class RetentionSweep {
  constructor(
    private readonly store: RetentionStore,
    private readonly retention: AppConfig['retention'],
  ) {}

  /** Whether any kind has a retention (else the service starts no timer). */
  get enabled(): boolean {
    const r = this.retention;
    return [
      r.ackedMessagesMs,
      r.deadLettersMs,
      r.auditMs,
      r.eventsMs,
      r.jobRunsMs,
      r.finishedTasksMs,
    ].some((ms) => ms > 0);
  }

  async run(now: Date): Promise<PurgeCounts> {
    const r = this.retention;
    const before = (ms: number) => new Date(now.getTime() - ms);
    const limit = r.batchSize;
    const expiries = (pairs: Array<[string, number]>): Expiry[] =>
      pairs.filter(([, ms]) => ms > 0).map(([status, ms]) => ({ status, before: before(ms) }));
    const messageExpiries = expiries([
      [ACKED, r.ackedMessagesMs],
      [DEAD, r.deadLettersMs],
    ]);
    const taskExpiries = expiries(FINISHED_TASKS.map((s) => [s, r.finishedTasksMs]));
    return {
      messages: await this.drain(messageExpiries.length > 0, (after) =>
        this.store.purgeMessages(messageExpiries, limit, after),
      ),
      audit: await this.drain(r.auditMs > 0, () => this.store.purgeAudit(before(r.auditMs), limit)),
      events: await this.drain(r.eventsMs > 0, () =>
        this.store.purgeEvents(before(r.eventsMs), limit),
      ),
      jobRuns: await this.drain(r.jobRunsMs > 0, () =>
        this.store.purgeJobRuns(before(r.jobRunsMs), limit),
      ),
      tasks: await this.drain(taskExpiries.length > 0, () =>
        this.store.purgeTasks(taskExpiries, limit),
      ),
    };
  }

  /** Batches until one reports no more, pausing between them; returns the rows deleted. */
  private async drain(
    enabled: boolean,
    batch: (after?: string) => Promise<PurgeBatch>,
  ): Promise<number> {
    if (!enabled) return 0;
    let deleted = 0;
    let after: string | undefined;
    for (;;) {
      const result = await batch(after);
      deleted += result.deleted;
      if (!result.more) return deleted;
      after = result.after;
      await new Promise((resolve) => setTimeout(resolve, this.retention.batchPauseMs));
    }
  }
}
