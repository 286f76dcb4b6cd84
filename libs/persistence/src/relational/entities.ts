import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

// JSON values are kept in text columns (portable across SQLite and MySQL/MariaDB); mappers convert.
@Entity('mediators')
export class MediatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'max_colleagues', type: 'integer' })
  maxColleagues: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

@Entity('colleagues')
@Index('idx_colleagues_mediator_type', ['mediator', 'type'])
export class ColleagueEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  id: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'text' })
  handles: string;

  @Column({ type: 'text' })
  subscriptions: string;

  @Column({ type: 'text' })
  metadata: string;

  @Column({ name: 'registered_at', type: 'datetime', precision: 3 })
  registeredAt: Date;
}

/** Lifecycle events waiting to be published (transactional outbox, DESIGN rule 4). */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 64 })
  mediator: string;

  @Column({ type: 'varchar', length: 64 })
  event: string;

  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}

/** Who runs the outbox relay now (one row per relay; see OutboxRepository.acquireLease). */
@Entity('outbox_lease')
export class OutboxLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  holder: string;

  /** Epoch milliseconds. */
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt: string;
}
