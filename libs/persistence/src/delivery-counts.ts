import type { DeliveryCounts } from './ports';

/** A status no copy is in counts 0; a status the service does not know is left out. */
export function countsByStatus(rows: { status: string; count: number }[]): DeliveryCounts {
  const counts: DeliveryCounts = { pending: 0, delivered: 0, acked: 0, dead: 0 };
  for (const { status, count } of rows)
    if (Object.hasOwn(counts, status)) counts[status as keyof DeliveryCounts] += count;
  return counts;
}
