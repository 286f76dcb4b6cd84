/** A finished status and the time before which its rows are purged. */
export interface Expiry {
  status: string;
  before: Date;
}

/** What one purge statement did; `after` continues a walk that skipped rows it must keep. */
export interface PurgeBatch {
  deleted: number;
  /** More rows may be purgeable now: call again (with `after`). */
  more: boolean;
  after?: string;
}

/**
 * The deletions of the retention sweep, each bounded to `limit` rows per call so a sweep never
 * holds a long lock. Every call is safe with several instances sweeping at once: a row deleted by
 * another instance is simply not counted, and the conditions are checked again in the DELETE.
 */
export abstract class RetentionStore {
  /**
   * Messages whose every recipient is in one of the expiries' statuses since before its time
   * (a message without recipients counts as acked when it was created). A message with any
   * pending or delivered recipient is never touched.
   */
  abstract purgeMessages(expiries: Expiry[], limit: number, after?: string): Promise<PurgeBatch>;
  abstract purgeAudit(before: Date, limit: number): Promise<PurgeBatch>;
  /** The event history (`GET …/events`). */
  abstract purgeEvents(before: Date, limit: number): Promise<PurgeBatch>;
  abstract purgeJobRuns(before: Date, limit: number): Promise<PurgeBatch>;
  /** Tasks in one of the expiries' statuses (completed, dead) last changed before its time. */
  abstract purgeTasks(expiries: Expiry[], limit: number): Promise<PurgeBatch>;
}

/** The smallest UUID v7 of a millisecond: ids (time-ordered) below it were made before it. */
export function uuidV7Floor(at: Date): string {
  const hex = Math.max(0, at.getTime()).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
