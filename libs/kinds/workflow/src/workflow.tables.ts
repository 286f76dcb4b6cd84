import type { SqlTables } from '@mediator/persistence/sql';
import { Workflows1764200000011 } from './migrations/1764200000011-workflows';
import { WorkflowEntity } from './workflow.entity';

/** The workflows' table (no Nest here: the contract tests load it). */
export const WORKFLOW_TABLES: SqlTables = {
  entities: [WorkflowEntity],
  migrations: [Workflows1764200000011],
};
