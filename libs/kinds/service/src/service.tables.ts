import type { SqlTables } from '@mediator/persistence/sql';
import { Services1764300000020 } from './migrations/1764300000020-services';
import { ServiceEntity } from './service.entity';

/** The service registry's table (no Nest here: the contract tests load it). */
export const SERVICE_TABLES: SqlTables = {
  entities: [ServiceEntity],
  migrations: [Services1764300000020],
};
