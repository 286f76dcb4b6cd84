import type { MigrationInterface } from 'typeorm';

/**
 * What a kind library adds to the relational schema: its entities and its migrations. The app
 * passes every kind's tables to the PersistenceModule (persistence never imports a kind).
 * Entities with a `mediator` column are a mediator's data, deleted with it, in the order listed
 * (a table another one references comes after it).
 */
export interface SqlTables {
  entities: Array<new () => object>;
  migrations: Array<new () => MigrationInterface>;
}
