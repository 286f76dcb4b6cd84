import type { SqlTables } from '@mediator/persistence/sql';
import { Jobs1764400000041 } from './migrations/1764400000041-jobs';
import { JobRunsFiredIndex1764500000072 } from './migrations/1764500000072-job-runs-fired-index';
import { JobRunEntity, JobEntity } from './job.entity';

/** The jobs' and their runs' tables (runs first: deleted before their job) (no Nest here: the contract tests load it). */
export const JOB_TABLES: SqlTables = {
  entities: [JobRunEntity, JobEntity],
  migrations: [Jobs1764400000041, JobRunsFiredIndex1764500000072],
};
