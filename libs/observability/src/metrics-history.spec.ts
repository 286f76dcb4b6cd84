import { type MetricTotals, MetricsHistory } from './metrics-history';

const totals = (over: Partial<MetricTotals>): MetricTotals => ({
  messages: 0,
  deliveries: 0,
  deliverySeconds: 0,
  httpRequests: 0,
  httpSeconds: 0,
  ...over,
});

describe('MetricsHistory', () => {
  it('turns the growth of the counters between two samples into one point', () => {
    const history = new MetricsHistory(10);
    history.record(totals({ messages: 5, deliveries: 2, deliverySeconds: 0.1 }), new Date(0));
    history.record(
      totals({
        messages: 9,
        deliveries: 4,
        deliverySeconds: 0.14,
        httpRequests: 3,
        httpSeconds: 0.03,
      }),
      new Date(5000),
    );
    expect(history.history()).toEqual([
      {
        at: new Date(5000),
        messages: 4,
        deliveries: 2,
        deliveryLatencyMs: 20,
        httpRequests: 3,
        httpLatencyMs: 10,
      },
    ]);
    expect(history.totals().messages).toBe(9);
  });

  it('has no latency for an interval without deliveries', () => {
    const history = new MetricsHistory(10);
    history.record(totals({}), new Date(0));
    history.record(totals({ messages: 1 }), new Date(1));
    expect(history.history()[0]).toMatchObject({ deliveryLatencyMs: null, httpLatencyMs: null });
  });

  it('keeps only the last `capacity` intervals', () => {
    const history = new MetricsHistory(2);
    for (let i = 0; i <= 4; i++) history.record(totals({ messages: i * 10 }), new Date(i));
    expect(history.history().map((p) => p.at.getTime())).toEqual([3, 4]);
  });
});
