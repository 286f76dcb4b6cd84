import type { Logger } from '@nestjs/common';
import { BackgroundFailures } from './background-failures';

/**
 * Work every instance repeats on a timer (lease expiry, missed heartbeats, claim expiry, the job
 * scheduler, resuming workflows and notifications). One pass at a time: a pass still running when
 * the timer fires again is not started twice; a failed pass is logged (a failure that repeats, such
 * as a database that is away, once a minute) and the next one tries again.
 * The passes themselves must be safe with several instances (atomic SQL).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly failures: BackgroundFailures;

  constructor(
    what: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
    logger: Logger,
  ) {
    this.failures = new BackgroundFailures(what, logger);
  }

  /** Starts the timer (from onApplicationBootstrap); `now` also runs a first pass at once. */
  start(options: { now?: boolean } = {}): void {
    if (options.now) void this.run();
    this.timer ??= setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer (from onApplicationShutdown). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.pass();
      this.failures.succeeded();
    } catch (error) {
      this.failures.failed(error);
    } finally {
      this.running = false;
    }
  }
}
