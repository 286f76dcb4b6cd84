// The SQL toolkit of the kind libraries' stores (libs/kinds/*): plain TypeORM helpers without Nest,
// so unit and contract tests can load a kind's store (jest cannot load the ESM-only Nest packages).
export { transaction } from './relational/transaction';
export { insertOutbox } from './relational/outbox';
export { isUniqueViolation } from './sql-errors';
export {
  type Page,
  type PageRequest,
  toPage,
  numericCursor,
  encodeCursor,
  decodeCursor,
} from './pagination';
export { type SqlTables } from './sql-tables';
export { createIndexIfMissing } from './relational/create-index-if-missing';
