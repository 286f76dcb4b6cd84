import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, type JsonValue, type Notification, type NotificationChannel } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { SqlNotificationStore } from './sql-notification.store';
import { CoreMediatorProvider } from '@mediator/mediators';
import { PeriodicTask } from '@mediator/persistence';

export interface SendNotificationCommand {
  type: string;
  content: unknown;
  recipientId: string;
  channel: NotificationChannel;
  retryCount?: number;
}

/**
 * Notifications for every transport: stored `pending` (the 202), then delivered in the
 * background by the core's NotificationCenter through the handler of `notification.<channel>`.
 * Every instance sweeps for notifications whose deliverer died (lease expired) and resumes them.
 */
@Injectable()
export class NotificationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationsService.name);
  private sweeper?: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly core: CoreMediatorProvider,
    private readonly store: SqlNotificationStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.notifications.sweepIntervalMs;
    this.sweeper = new PeriodicTask(
      'notification sweep',
      interval,
      () => this.sweep(),
      this.logger,
    );
    this.sweeper.start({ now: true });
  }

  onApplicationShutdown(): void {
    this.sweeper?.stop();
  }

  async send(mediatorName: string, command: SendNotificationCommand): Promise<Notification> {
    const mediator = await this.core.mediator(mediatorName);
    const created = await mediator.notifications.create({
      type: command.type,
      content: command.content as JsonValue,
      recipientId: command.recipientId,
      channel: command.channel,
      retryCount: command.retryCount,
    });
    this.deliverInBackground(created);
    return created;
  }

  async get(mediatorName: string, id: string): Promise<Notification> {
    return (await this.core.mediator(mediatorName)).notifications.get(id);
  }

  /** Resumes notifications left pending or sent by an instance that stopped (at start-up too). */
  private async sweep(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    for (const n of await this.store.claimUnfinished(this.clock.now())) this.deliverInBackground(n);
  }

  private deliverInBackground(n: Notification): void {
    void this.core
      .mediator(n.mediator)
      .then((mediator) => mediator.notifications.deliver(n.id))
      .catch((error: unknown) =>
        this.logger.warn(`notification ${n.id} delivery stopped: ${(error as Error).message}`),
      );
  }
}
