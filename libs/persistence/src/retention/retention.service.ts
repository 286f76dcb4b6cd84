import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { Clock } from '@mediator/core';
// By path: the mediators lib's index pulls in its module and, through it, this lib.
import { PeriodicTask } from '../periodic-task';
import { RetentionStore } from './retention-store';
import { RetentionSweep } from './retention-sweep';

/**
 * Runs the retention sweep on every instance (PeriodicTask: one pass at a time, a failed pass is
 * logged and the next one tries again). Passes on several instances at once only share the work:
 * each deletion checks its rows again, and a row another instance deleted is not counted.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private readonly sweep: RetentionSweep;
  private readonly sweeper: PeriodicTask;

  constructor(
    store: RetentionStore,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.sweep = new RetentionSweep(store, config.retention);
    this.sweeper = new PeriodicTask(
      'retention sweep',
      config.retention.sweepIntervalMs,
      () => this.pass(),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.sweep.enabled) this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  private async pass(): Promise<void> {
    const counts = await this.sweep.run(this.clock.now());
    if (Object.values(counts).some((n) => n > 0)) this.logger.log(counts, 'retention purged');
  }
}
