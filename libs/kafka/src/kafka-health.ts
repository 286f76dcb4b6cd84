import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type Admin, Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { ComponentHealth } from '@mediator/component-health';
import { KafkaCommandServer } from './kafka-command.server';
import { kafkaClientConfig } from './kafka-options';

/** `kafka` in /health: the broker answers describeCluster and the command consumer is in its group. */
@Injectable()
export class KafkaHealth implements OnModuleInit, OnApplicationShutdown {
  private readonly admin: Admin;
  private connected: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly server: KafkaCommandServer,
    private readonly health: ComponentHealth,
  ) {
    this.admin = new Kafka({
      ...kafkaClientConfig(config.messageQueue, '-health'),
      retry: { retries: 0 },
    }).admin();
  }

  onModuleInit(): void {
    // Degradable: events wait in the outbox, REST and Socket.IO keep serving.
    this.health.register('kafka', () => this.check(), { degradable: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }

  private async check(): Promise<void> {
    try {
      this.connected ??= this.admin.connect();
      await this.connected;
      await this.admin.describeCluster();
    } catch (error) {
      this.connected = null;
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    }
    if (!this.server.isConsuming) throw new Error('the command consumer has not joined its group');
  }
}
