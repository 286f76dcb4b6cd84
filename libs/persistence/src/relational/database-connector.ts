import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * Connects the relational store and runs its migrations. The first attempt happens during start-up
 * (instant with SQLite); when the database is not reachable the process starts anyway, reports
 * `database: down` on /health, answers 503 for requests that need it, and keeps retrying with
 * exponential backoff instead of exiting into a crash loop (CONTRACT §1).
 */
@Injectable()
export class DatabaseConnector implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseConnector.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    if (!(await this.connect(1))) this.retry(2, FIRST_DELAY_MS);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private retry(attempt: number, delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      if (!(await this.connect(attempt)))
        this.retry(attempt + 1, Math.min(delay * 2, MAX_DELAY_MS));
    }, delay);
  }

  private async connect(attempt: number): Promise<boolean> {
    try {
      await this.dataSource.initialize();
      if (attempt > 1) this.logger.log({ attempt }, 'database connected');
      return true;
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message, attempt },
        'database not reachable; retrying',
      );
      return false;
    }
  }
}
