import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A resource pool (ResourcePool); instants in epoch milliseconds. */
@Entity('kind_resources')
export class ResourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  type: string;

  @Column({ type: 'integer' })
  capacity: number;

  /** Units in use outside leases (API `used` on define); leases take at most capacity − reserved. */
  @Column({ type: 'integer', default: 0 })
  reserved: number;

  /** Sum of the live leases. */
  @Column({ type: 'integer' })
  used: number;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt: string | number;

  @Column({ name: 'updated_at', type: 'bigint' })
  updatedAt: string | number;
}

/** A live lease on a pool; deleted when released or expired. */
@Entity('kind_resource_leases')
export class ResourceLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  mediator: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 128 })
  resource: string;

  @Column({ name: 'holder_id', type: 'varchar', length: 128 })
  holderId: string;

  @Column({ type: 'integer' })
  amount: number;

  @Column({ name: 'acquired_at', type: 'bigint' })
  acquiredAt: string | number;

  @Column({ name: 'expires_at', type: 'bigint', nullable: true })
  expiresAt: string | number | null;
}
