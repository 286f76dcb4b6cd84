import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('workflows')
@Index('idx_workflows_status_lease', ['status', 'leaseUntil'])
export class WorkflowEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** JSON: the step definitions. */
  @Column({ type: 'text' })
  steps: string;

  @Column({ type: 'text' })
  data: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'current_step', type: 'integer' })
  currentStep: number;

  @Column({ name: 'retry_count', type: 'integer' })
  retryCount: number;

  @Column({ type: 'text' })
  results: string;

  @Column({ type: 'text' })
  compensated: string;

  @Column({ type: 'text', nullable: true })
  error: string | null;

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
