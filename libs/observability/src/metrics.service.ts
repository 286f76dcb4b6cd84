import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram, MetricObjectWithValues, MetricValue } from 'prom-client';
import type { CommittedBatch } from '@mediator/persistence';
import type { MetricTotals } from './metrics-history';

type Observer = ReturnType<Histogram<string>['labels']>;

/** The metrics of CONTRACT §7 (the default process metrics come from the metrics server). */
export const METRIC_PROVIDERS = [
  makeHistogramProvider({
    name: 'mediator_http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  makeCounterProvider({
    name: 'mediator_messages_total',
    help: 'Messages sent, by kind and outcome',
    labelNames: ['kind', 'outcome'],
  }),
  // Not in CONTRACT §7: the deliveries that failed (refused, or no ack in time) and the dead ones.
  makeCounterProvider({
    name: 'mediator_delivery_failures_total',
    help: 'Socket.IO deliveries refused or not acknowledged in time, by kind and reason',
    labelNames: ['kind', 'reason'],
  }),
  makeCounterProvider({
    name: 'mediator_messages_dead_total',
    help: 'Deliveries given up after their retries (status dead), by kind',
    labelNames: ['kind'],
  }),
  makeHistogramProvider({
    name: 'mediator_delivery_latency_seconds',
    help: 'Time from push to acknowledgement of a delivery',
    labelNames: ['transport'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  }),
  makeGaugeProvider({
    name: 'mediator_ws_connections',
    help: 'Open Socket.IO connections on this instance',
  }),
  makeCounterProvider({
    name: 'mediator_kafka_commands_total',
    help: 'Kafka commands handled, by type and outcome',
    labelNames: ['type', 'outcome'],
  }),
  makeGaugeProvider({ name: 'mediator_mediators', help: 'Mediators that exist' }),
  makeGaugeProvider({
    name: 'mediator_colleagues',
    help: 'Colleagues registered over all mediators',
  }),
  makeGaugeProvider({
    name: 'mediator_outbox_pending',
    help: 'Lifecycle events waiting in the outbox',
  }),
  // Not in CONTRACT §7: how well the send path's group commit coalesces (see SqlMessageWrites).
  makeHistogramProvider({
    name: 'mediator_store_batch_size',
    help: 'Writes per database commit of the send path, by write (messages, events, status_updates)',
    labelNames: ['write'],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  }),
];

@Injectable()
export class MetricsService {
  /** The labelled children of the HTTP histogram by method, status and route template. */
  private readonly httpTimers = new Map<string, Observer>();

  constructor(
    @InjectMetric('mediator_http_request_duration_seconds')
    private readonly httpDuration: Histogram<string>,
    @InjectMetric('mediator_messages_total') private readonly messages: Counter<string>,
    @InjectMetric('mediator_delivery_latency_seconds')
    private readonly deliveryLatency: Histogram<string>,
    @InjectMetric('mediator_ws_connections') readonly wsConnections: Gauge<string>,
    @InjectMetric('mediator_kafka_commands_total') private readonly kafkaCommands: Counter<string>,
    @InjectMetric('mediator_mediators') readonly mediators: Gauge<string>,
    @InjectMetric('mediator_colleagues') readonly colleagues: Gauge<string>,
    @InjectMetric('mediator_outbox_pending') readonly outboxPending: Gauge<string>,
    @InjectMetric('mediator_store_batch_size') private readonly storeBatch: Histogram<string>,
    @InjectMetric('mediator_delivery_failures_total')
    private readonly deliveryFailures: Counter<string>,
    @InjectMetric('mediator_messages_dead_total') private readonly deadMessages: Counter<string>,
  ) {}

  /**
   * One HTTP request's duration. The child of each label set is looked up once and kept: asking
   * the histogram with a label object hashes and sorts the labels on every request. The key space
   * is small (route templates, not paths; 'unmatched' for the rest).
   */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let timer = this.httpTimers.get(key);
    if (!timer) {
      timer = this.httpDuration.labels(method, route, String(status));
      this.httpTimers.set(key, timer);
    }
    timer.observe(seconds);
  }

  messageSent(kind: string, outcome: 'ok' | 'error'): void {
    this.messages.inc({ kind, outcome });
  }

  /** A failed delivery attempt; `dead` when it was the last one allowed. */
  deliveryFailed(kind: string, reason: 'refused' | 'ack_timeout', dead: boolean): void {
    this.deliveryFailures.inc({ kind, reason });
    if (dead) this.deadMessages.inc({ kind });
  }

  delivered(transport: 'ws' | 'kafka' | 'http', seconds: number): void {
    this.deliveryLatency.observe({ transport }, seconds);
  }

  /** One commit of the send path; kinds of write it did not carry are not observed. */
  storeBatchCommitted(batch: CommittedBatch): void {
    if (batch.messages > 0) this.storeBatch.observe({ write: 'messages' }, batch.messages);
    if (batch.events > 0) this.storeBatch.observe({ write: 'events' }, batch.events);
    if (batch.statusUpdates > 0)
      this.storeBatch.observe({ write: 'status_updates' }, batch.statusUpdates);
  }

  kafkaCommand(type: string, outcome: 'ok' | 'error'): void {
    this.kafkaCommands.inc({ type, outcome });
  }

  /** The counters the console's sparklines follow, summed over their labels. */
  async totals(): Promise<MetricTotals> {
    const [messages, delivery, http] = await Promise.all([
      this.messages.get(),
      this.deliveryLatency.get(),
      this.httpDuration.get(),
    ]);
    return {
      messages: sumOf(messages.values),
      deliveries: sumOf(delivery.values, '_count'),
      deliverySeconds: sumOf(delivery.values, '_sum'),
      httpRequests: sumOf(http.values, '_count'),
      httpSeconds: sumOf(http.values, '_sum'),
    };
  }
}

/** A counter's values, or a histogram's `_sum` / `_count` series, added up over every label set. */
function sumOf(
  values: MetricObjectWithValues<MetricValue<string>>['values'],
  suffix?: '_sum' | '_count',
): number {
  return values
    .filter((v) => !suffix || (v as { metricName?: string }).metricName?.endsWith(suffix))
    .reduce((total, v) => total + v.value, 0);
}
