import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('jobs')
export class JobEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  type: string;

  @Column({ type: 'varchar', length: 200 })
  schedule: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  target: string;

  @Column({ type: 'varchar', length: 16 })
  misfire: string;

  @Column({ type: 'boolean' })
  paused: boolean;

  /** Every tick at or before this time has been handled (the core's `cursor`). */
  @Column({ name: 'handled_until', type: 'bigint' })
  cursor: string;

  @Column({ name: 'next_run_at', type: 'bigint', nullable: true })
  nextRunAt: string | null;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt: string;
}

/** One fired tick; unique per (mediator, job, scheduled_at). */
@Entity('job_runs')
export class JobRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  mediator: string;

  @Column({ type: 'varchar', length: 200 })
  job: string;

  @Column({ name: 'scheduled_at', type: 'bigint' })
  scheduledAt: string;

  @Column({ name: 'fired_at', type: 'bigint' })
  firedAt: string;

  @Column({ name: 'catch_up', type: 'boolean' })
  catchUp: boolean;
}
