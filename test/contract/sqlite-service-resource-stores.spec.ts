// The service and resource store contracts against the embedded default (in-memory SQLite).
import { serviceResourceStoresContract, kindStores } from './service-resource-stores.contract';
import { SQLITE_IN_MEMORY, sqlOptions } from './stores';

describe('SQLite service and resource stores', () => {
  serviceResourceStoresContract(kindStores(async () => sqlOptions(SQLITE_IN_MEMORY)));
});
