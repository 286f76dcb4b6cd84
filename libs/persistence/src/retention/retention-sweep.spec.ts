import type { AppConfig } from '@mediator/config';
import { type Expiry, type PurgeBatch, RetentionStore } from './retention-store';
import { RetentionSweep } from './retention-sweep';

const HOUR = 3_600_000;

/** A store that hands out `pending` rows `limit` at a time and records what it was asked. */
class FakeStore extends RetentionStore {
  calls: Array<{
    kind: string;
    expiries?: Expiry[];
    before?: Date;
    limit: number;
    after?: string;
  }> = [];
  constructor(private pending: number) {
    super();
  }
  private take(limit: number): PurgeBatch {
    const deleted = Math.min(limit, this.pending);
    this.pending -= deleted;
    return { deleted, more: deleted === limit, after: `after-${this.calls.length}` };
  }
  async purgeMessages(expiries: Expiry[], limit: number, after?: string) {
    this.calls.push({ kind: 'messages', expiries, limit, after });
    return this.take(limit);
  }
  async purgeAudit(before: Date, limit: number) {
    this.calls.push({ kind: 'audit', before, limit });
    return { deleted: 0, more: false };
  }
  async purgeEvents(before: Date, limit: number) {
    this.calls.push({ kind: 'events', before, limit });
    return { deleted: 0, more: false };
  }
  async purgeJobRuns(before: Date, limit: number) {
    this.calls.push({ kind: 'jobRuns', before, limit });
    return { deleted: 0, more: false };
  }
  async purgeTasks(expiries: Expiry[], limit: number) {
    this.calls.push({ kind: 'tasks', expiries, limit });
    return { deleted: 0, more: false };
  }
}

function service(store: RetentionStore, retention: Partial<AppConfig['retention']>) {
  const config = {
    retention: {
      ackedMessagesMs: 0,
      deadLettersMs: 0,
      auditMs: 0,
      eventsMs: 0,
      jobRunsMs: 0,
      finishedTasksMs: 0,
      sweepIntervalMs: 60_000,
      batchSize: 1000,
      batchPauseMs: 0,
      ...retention,
    },
  } as AppConfig;
  return new RetentionSweep(store, config.retention);
}

describe('RetentionSweep', () => {
  const now = new Date('2026-06-01T00:00:00.000Z');

  it('asks nothing of the store when every retention is 0 (keep forever)', async () => {
    const store = new FakeStore(10);
    expect(await service(store, {}).run(now)).toEqual({
      messages: 0,
      audit: 0,
      events: 0,
      jobRuns: 0,
      tasks: 0,
    });
    expect(store.calls).toEqual([]);
  });

  it('drains in batches of batch_size, carrying the cursor, until a batch is short', async () => {
    const store = new FakeStore(2500);
    const counts = await service(store, { ackedMessagesMs: 7 * 24 * HOUR }).run(now);
    expect(counts.messages).toBe(2500);
    expect(store.calls.map((c) => [c.limit, c.after])).toEqual([
      [1000, undefined],
      [1000, 'after-1'],
      [1000, 'after-2'],
    ]);
    expect(store.calls[0].expiries).toEqual([
      { status: 'acked', before: new Date(now.getTime() - 7 * 24 * HOUR) },
    ]);
  });

  it('gives each kind its own cutoff; finished tasks are completed and dead ones', async () => {
    const store = new FakeStore(0);
    await service(store, {
      ackedMessagesMs: HOUR,
      deadLettersMs: 2 * HOUR,
      auditMs: 3 * HOUR,
      eventsMs: 4 * HOUR,
      jobRunsMs: 5 * HOUR,
      finishedTasksMs: 6 * HOUR,
      batchSize: 50,
    }).run(now);
    const ago = (h: number) => new Date(now.getTime() - h * HOUR);
    expect(store.calls).toEqual([
      {
        kind: 'messages',
        expiries: [
          { status: 'acked', before: ago(1) },
          { status: 'dead', before: ago(2) },
        ],
        limit: 50,
        after: undefined,
      },
      { kind: 'audit', before: ago(3), limit: 50 },
      { kind: 'events', before: ago(4), limit: 50 },
      { kind: 'jobRuns', before: ago(5), limit: 50 },
      {
        kind: 'tasks',
        expiries: [
          { status: 'completed', before: ago(6) },
          { status: 'dead', before: ago(6) },
        ],
        limit: 50,
      },
    ]);
  });
});
