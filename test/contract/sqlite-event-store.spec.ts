// The event store contract against the embedded default (in-memory SQLite).
import { eventStoreContract, eventStores } from './event-store.contract';
import { SQLITE_IN_MEMORY, sqlOptions } from './stores';

describe('SQLite event store', () => {
  eventStoreContract(eventStores(async () => sqlOptions(SQLITE_IN_MEMORY)));
});
