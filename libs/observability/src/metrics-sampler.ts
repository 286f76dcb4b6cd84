import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MetricsHistory } from './metrics-history';
import { MetricsService } from './metrics.service';

/** One point every 5 s, 60 of them: the last five minutes. */
export const SAMPLE_INTERVAL_MS = 5000;
export const SAMPLE_CAPACITY = 60;

/**
 * Samples the service's own counters into a short history, so the console can draw throughput
 * and latency over time from an authenticated JSON endpoint instead of scraping Prometheus text
 * on the metrics port (which a browser should not reach). Per instance, like the metrics.
 */
@Injectable()
export class MetricsSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly history = new MetricsHistory(SAMPLE_CAPACITY);
  private timer?: NodeJS.Timeout;

  constructor(private readonly metrics: MetricsService) {}

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    this.history.record(await this.metrics.totals(), new Date());
  }
}
