import { ValidationError } from '@mediator/core';

export interface PageRequest {
  limit: number;
  /** The opaque cursor of the previous page, already decoded to the last key it returned. */
  after?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey }), 'utf8').toString('base64url');
}

/** Decodes a cursor from a client; a cursor we did not issue is a validation error. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('invalid cursor', [
    { field: 'cursor', problem: 'is not a cursor returned by this API' },
  ]);
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor =
    rows.length > limit && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}

/** A cursor whose key is a sequence number or a time in ms; anything else was not issued by us. */
export function numericCursor(after: string): number {
  const value = Number(after);
  if (!/^\d+$/.test(after) || !Number.isSafeInteger(value)) {
    throw new ValidationError('invalid cursor', [
      { field: 'cursor', problem: 'is not a cursor returned by this API' },
    ]);
  }
  return value;
}
