/** The running totals the console's sparklines are drawn from (read from the CONTRACT §7 metrics). */
export interface MetricTotals {
  /** Messages sent (every kind and outcome). */
  messages: number;
  /** Deliveries acknowledged, and the seconds they took from push to ack. */
  deliveries: number;
  deliverySeconds: number;
  /** HTTP requests answered, and the seconds they took. */
  httpRequests: number;
  httpSeconds: number;
}

/** What happened during one sampling interval, ending at `at`. */
export interface MetricsPoint {
  at: Date;
  messages: number;
  deliveries: number;
  /** Mean push-to-ack time of the interval's deliveries; null when there were none. */
  deliveryLatencyMs: number | null;
  httpRequests: number;
  httpLatencyMs: number | null;
}

/**
 * A ring of the last `capacity` intervals: each sample turns the growth of the counters since
 * the previous sample into one point. Counters only grow, so the differences are the interval's
 * traffic; averages come from a histogram's sum and count growing together.
 */
export class MetricsHistory {
  private readonly points: MetricsPoint[] = [];
  private last?: MetricTotals;

  constructor(private readonly capacity: number) {}

  record(totals: MetricTotals, at: Date): void {
    const previous = this.last;
    this.last = totals;
    if (!previous) return;
    const deliveries = totals.deliveries - previous.deliveries;
    const httpRequests = totals.httpRequests - previous.httpRequests;
    this.points.push({
      at,
      messages: totals.messages - previous.messages,
      deliveries,
      deliveryLatencyMs: meanMs(totals.deliverySeconds - previous.deliverySeconds, deliveries),
      httpRequests,
      httpLatencyMs: meanMs(totals.httpSeconds - previous.httpSeconds, httpRequests),
    });
    if (this.points.length > this.capacity) this.points.shift();
  }

  history(): readonly MetricsPoint[] {
    return this.points;
  }

  /** The totals of the latest sample (zeros before the first one). */
  totals(): MetricTotals {
    return (
      this.last ?? {
        messages: 0,
        deliveries: 0,
        deliverySeconds: 0,
        httpRequests: 0,
        httpSeconds: 0,
      }
    );
  }
}

function meanMs(seconds: number, count: number): number | null {
  return count > 0 ? Math.round((seconds / count) * 1000 * 100) / 100 : null;
}
