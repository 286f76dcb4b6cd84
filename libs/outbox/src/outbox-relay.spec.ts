import type { LifecycleEvent } from '@mediator/core';
import type { OutboxRecord, OutboxRepository } from '@mediator/persistence';
import type { RealtimeHub } from '@mediator/realtime';
import { OutboxRelay } from './outbox-relay';

/** An outbox in memory whose commits the test announces, as a store's transaction would. */
class FakeOutbox {
  rows: OutboxRecord[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  commit(event: string): void {
    const record = { seq: String(++this.seq), id: event, event, mediator: 'orders' };
    this.rows.push({ ...record, data: null, timestamp: new Date(0) });
    for (const listener of this.listeners) listener();
  }
  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  async next(limit: number): Promise<OutboxRecord[]> {
    return this.rows.slice(0, limit);
  }
  async remove(seqs: string[]): Promise<void> {
    this.rows = this.rows.filter((row) => !seqs.includes(row.seq));
  }
  async acquireLease(): Promise<boolean> {
    return true;
  }
  async releaseLease(): Promise<void> {}
}

describe('OutboxRelay', () => {
  let outbox: FakeOutbox;
  let published: string[];
  let relay: OutboxRelay;

  beforeEach(async () => {
    jest.useFakeTimers();
    outbox = new FakeOutbox();
    published = [];
    const hub = { publish: (event: LifecycleEvent) => published.push(event.event) };
    relay = new OutboxRelay(outbox as unknown as OutboxRepository, hub as unknown as RealtimeHub);
    relay.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
  });

  afterEach(async () => {
    await relay.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('publishes a committed row at once: the commit nudges it, nobody waits for the poll', async () => {
    outbox.commit('task_created');
    await jest.advanceTimersByTimeAsync(0);

    expect(published).toEqual(['task_created']);
    expect(outbox.rows).toEqual([]);
  });
});
