import type { SqlTables } from '@mediator/persistence/sql';
import { Resources1764300000021 } from './migrations/1764300000021-resources';
import { ResourceReserved1764500000050 } from './migrations/1764500000050-resource-reserved';
import { ResourceLeaseEntity, ResourceEntity } from './resource.entity';

/** The resource pools' and leases' tables (leases first: deleted before their pool) (no Nest here: the contract tests load it). */
export const RESOURCE_TABLES: SqlTables = {
  entities: [ResourceLeaseEntity, ResourceEntity],
  migrations: [Resources1764300000021, ResourceReserved1764500000050],
};
