/** True for a duplicate key error (E11000) from MongoDB or FerretDB, single or bulk write. */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] };
  if (e?.code === 11000) return true;
  return Array.isArray(e?.writeErrors) && e.writeErrors.length > 0
    ? e.writeErrors.every((w) => w.code === 11000)
    : false;
}
