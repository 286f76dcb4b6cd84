// The task and job store contract against the embedded default (in-memory SQLite).
import { SQLITE_IN_MEMORY, sqlOptions } from './stores';
import { taskJobStoreContract, taskJobStores } from './task-job-stores.contract';

describe('SQLite', () => {
  taskJobStoreContract(taskJobStores(sqlOptions(SQLITE_IN_MEMORY)));
});
