import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlMessageWrites } from '@mediator/persistence';
import { MetricsService } from './metrics.service';

/** Feeds `mediator_store_batch_size` from the send path's group commit. */
@Injectable()
export class StoreBatchCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    sqlMessageWrites(this.dataSource).observe((batch) => this.metrics.storeBatchCommitted(batch));
  }
}
