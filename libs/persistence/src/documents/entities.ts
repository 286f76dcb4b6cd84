import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The SQL adapter of the document store: messages, their recipients, audit entries. */
@Entity('messages')
@Index('uq_messages_idempotency', ['mediator', 'senderId', 'idempotencyKey'], { unique: true })
export class MessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  mediator: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 128 })
  type: string;

  @Column({ name: 'sender_id', type: 'varchar', length: 128 })
  senderId: string;

  @Column({ name: 'recipient_id', type: 'varchar', length: 128, nullable: true })
  recipientId: string | null;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'text' })
  headers: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

@Entity('message_recipients')
@Index('idx_inbox', ['mediator', 'recipientId', 'status', 'messageId'])
@Index('idx_recipients_due', ['dueAt'])
export class MessageRecipientEntity {
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 36 })
  messageId: string;

  @PrimaryColumn({ name: 'recipient_id', type: 'varchar', length: 128 })
  recipientId: string;

  @Column({ type: 'varchar', length: 64 })
  mediator: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'acked_at', type: 'datetime', precision: 3, nullable: true })
  ackedAt: Date | null;

  /** When the delivery went dead (the retention of dead letters counts from it); else null. */
  @Column({ name: 'dead_at', type: 'datetime', precision: 3, nullable: true })
  deadAt: Date | null;

  /** Refusals and ack timeouts so far (see DeliveryRetries). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Epoch ms when the sweep looks at this slot again (an overdue ack or a due retry); null: never. */
  @Column({ name: 'due_at', type: 'bigint', nullable: true })
  dueAt: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

@Entity('audit_entries')
@Index('idx_audit_at', ['at'])
@Index('idx_audit_mediator_at', ['mediator', 'at'])
export class AuditEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'datetime', precision: 3 })
  at: Date;

  @Column({ type: 'varchar', length: 255 })
  actor: string;

  @Column({ type: 'varchar', length: 16 })
  transport: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  mediator: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  target: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'text' })
  details: string;
}
