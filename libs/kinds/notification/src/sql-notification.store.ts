import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import {
  type Clock,
  type JsonValue,
  type LifecycleEvent,
  type Notification,
  type NotificationChannel,
  type NotificationStatus,
  NotificationStore,
  systemClock,
} from '@mediator/core';
import { insertOutbox, transaction } from '@mediator/persistence/sql';
import { NotificationEntity } from './notification.entity';

const UNFINISHED: NotificationStatus[] = ['pending', 'sent'];

/**
 * The core's NotificationStore on SQL (SQLite or MySQL/MariaDB). Besides the core's state, a row
 * carries a lease: the instance delivering a notification renews it on every write, so a
 * notification whose instance died (lease expired) is taken over by exactly one other instance
 * through `claimUnfinished`, an atomic conditional UPDATE per row.
 */
export class SqlNotificationStore extends NotificationStore {
  /** Owner name of the leases this store writes. */
  readonly owner = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    /** How long a delivering instance holds a notification without writing it. */
    private readonly leaseMs = 120_000,
    /** The service's clock: `claimUnfinished` compares leases with the sweep's `now` from it. */
    private readonly clock: Clock = systemClock,
  ) {
    super();
  }

  async add(notification: Notification, event: LifecycleEvent): Promise<Notification> {
    await transaction(this.dataSource, async (manager) => {
      await manager.insert(NotificationEntity, this.toRow(notification));
      await insertOutbox(manager, event);
    });
    return notification;
  }

  async save(notification: Notification, event: LifecycleEvent | null): Promise<Notification> {
    await transaction(this.dataSource, async (manager) => {
      const { mediator, id, createdAt: _createdAt, ...changes } = this.toRow(notification);
      await manager.update(NotificationEntity, { mediator, id }, changes);
      if (event) await insertOutbox(manager, event);
    });
    return notification;
  }

  async find(mediator: string, id: string): Promise<Notification | null> {
    const row = await this.dataSource.getRepository(NotificationEntity).findOneBy({ mediator, id });
    return row ? toDomain(row) : null;
  }

  /**
   * Takes over unfinished notifications nobody holds (lease expired), at most `limit`: each row
   * is claimed by one conditional UPDATE, so two instances never both take one. A notification
   * left `sent` by a dead instance lost its attempt's answer: it goes back to `pending`.
   */
  async claimUnfinished(now: Date, limit = 100): Promise<Notification[]> {
    const nowMs = now.getTime();
    const candidates = await this.dataSource
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .select(['n.mediator', 'n.id'])
      .where('n.status IN (:...statuses)', { statuses: UNFINISHED })
      .andWhere('(n.lease_until IS NULL OR n.lease_until <= :now)', { now: nowMs })
      .orderBy('n.created_at', 'ASC')
      .limit(limit)
      .getMany();
    const claimed: Notification[] = [];
    for (const { mediator, id } of candidates) {
      const row = await transaction(this.dataSource, (manager) =>
        this.claimOne(manager, mediator, id, nowMs),
      );
      if (row) claimed.push(toDomain(row));
    }
    return claimed;
  }

  private async claimOne(
    manager: EntityManager,
    mediator: string,
    id: string,
    nowMs: number,
  ): Promise<NotificationEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ owner: this.owner, leaseUntil: String(nowMs + this.leaseMs), status: 'pending' })
      .where('mediator = :mediator AND id = :id', { mediator, id })
      .andWhere('status IN (:...statuses)', { statuses: UNFINISHED })
      .andWhere('(lease_until IS NULL OR lease_until <= :now)', { now: nowMs })
      .execute();
    if ((result.affected ?? 0) === 0) return null;
    return manager.findOneBy(NotificationEntity, { mediator, id });
  }

  private toRow(n: Notification): NotificationEntity {
    const unfinished = UNFINISHED.includes(n.status);
    return {
      mediator: n.mediator,
      id: n.id,
      type: n.type,
      channel: n.channel,
      recipientId: n.recipientId,
      content: JSON.stringify(n.content ?? null),
      status: n.status,
      retryCount: n.retryCount,
      attempts: n.attempts,
      lastError: n.lastError,
      owner: unfinished ? this.owner : null,
      leaseUntil: unfinished ? String(this.clock.now().getTime() + this.leaseMs) : null,
      createdAt: n.createdAt,
      updatedAt: n.updatedAt,
    };
  }
}

function toDomain(row: NotificationEntity): Notification {
  return {
    id: row.id,
    mediator: row.mediator,
    type: row.type,
    channel: row.channel as NotificationChannel,
    recipientId: row.recipientId,
    content: JSON.parse(row.content) as JsonValue,
    status: row.status as NotificationStatus,
    retryCount: row.retryCount,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
