import { type QueryRunner, TableIndex, type TableIndexOptions } from 'typeorm';

/**
 * For a migration that takes over an index an older migration may have created already (a
 * database migrated before the index moved to its kind's library): creates it only if absent,
 * on SQLite and MySQL/MariaDB alike.
 */
export async function createIndexIfMissing(
  queryRunner: QueryRunner,
  tableName: string,
  index: TableIndexOptions & { name: string },
): Promise<void> {
  const table = await queryRunner.getTable(tableName);
  if (table?.indices.some((existing) => existing.name === index.name)) return;
  await queryRunner.createIndex(tableName, new TableIndex(index));
}
