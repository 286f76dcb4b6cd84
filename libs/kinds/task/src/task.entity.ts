import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A task of the queue; `seq` is the submission order (FIFO within a priority). */
@Entity('tasks')
export class TaskEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  mediator: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  type: string;

  @Column({ type: 'integer' })
  priority: number;

  @Column({ type: 'text' })
  data: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'retry_count', type: 'integer' })
  retryCount: number;

  @Column({ name: 'claim_timeout_ms', type: 'integer' })
  claimTimeoutMs: number;

  @Column({ name: 'claimed_by', type: 'varchar', length: 128, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'claim_expires_at', type: 'bigint', nullable: true })
  claimExpiresAt: string | null;

  @Column({ type: 'text', nullable: true })
  result: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'submitted_at', type: 'bigint' })
  submittedAt: string;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt: string;
}
