import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A published event (the history of `GET events`). `seq` orders the history and pages it (an
 * event id may come from the publisher, so ids need not be time-ordered); `(mediator, id)` is
 * unique, which is what makes a second publish of the same id a redelivery.
 */
@Entity('kind_events')
export class EventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 64 })
  mediator: string;

  @Column({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  type: string;

  @Column({ name: 'sender_id', type: 'varchar', length: 64 })
  senderId: string;

  /** JSON. */
  @Column({ type: 'text' })
  data: string;

  /** JSON object of strings. */
  @Column({ type: 'text' })
  headers: string;

  /** JSON array of the subscriber ids it was addressed to. */
  @Column({ name: 'recipient_ids', type: 'text' })
  recipientIds: string;

  /** Epoch milliseconds. */
  @Column({ name: 'published_at', type: 'bigint' })
  publishedAt: string | number;
}
