import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A registered service (ServiceRecord); instants in epoch milliseconds. */
@Entity('kind_services')
export class ServiceEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  type: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'text', nullable: true })
  endpoint: string | null;

  @Column({ name: 'heartbeat_ttl_ms', type: 'bigint' })
  heartbeatTtlMs: string | number;

  @Column({ name: 'last_heartbeat_at', type: 'bigint' })
  lastHeartbeatAt: string | number;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'registered_at', type: 'bigint' })
  registeredAt: string | number;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt: string | number;
}
