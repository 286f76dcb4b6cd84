import type { OutboxRepository } from '@mediator/persistence';

/**
 * The relay lease of one instance (several instances share the outbox: the holder publishes,
 * the others take over when it lapses). Renewed once a third of its time has passed, not on
 * every pass: under load the relay runs a pass after every commit, and a renewal each time would
 * be one more write per commit. Renewing well before expiry keeps it from lapsing meanwhile.
 */
export class RelayLease {
  /** When the lease was last taken or renewed (-Infinity: not held). */
  private renewedAt = -Infinity;

  constructor(
    private readonly outbox: Pick<OutboxRepository, 'acquireLease' | 'releaseLease'>,
    private readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  async hold(): Promise<boolean> {
    const now = Date.now();
    if (now - this.renewedAt < this.ttlMs / 3) return true;
    const held = await this.outbox.acquireLease(this.holder, this.ttlMs);
    this.renewedAt = held ? now : -Infinity;
    return held;
  }

  async release(): Promise<void> {
    this.renewedAt = -Infinity;
    await this.outbox.releaseLease(this.holder);
  }
}
