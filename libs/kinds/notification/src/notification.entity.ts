import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('notifications')
@Index('idx_notifications_status_lease', ['status', 'leaseUntil'])
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  type: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ name: 'recipient_id', type: 'varchar', length: 128 })
  recipientId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'retry_count', type: 'integer' })
  retryCount: number;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  owner: string | null;

  /** Epoch ms; bigint comes back as a string. */
  @Column({ name: 'lease_until', type: 'bigint', nullable: true })
  leaseUntil: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
