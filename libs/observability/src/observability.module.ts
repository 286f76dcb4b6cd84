import { Global, Module } from '@nestjs/common';
import { METRIC_PROVIDERS, MetricsService } from './metrics.service';
import { GaugeCollector } from './gauge.collector';
import { StoreBatchCollector } from './store-batch.collector';

@Global()
@Module({
  providers: [...METRIC_PROVIDERS, MetricsService, GaugeCollector, StoreBatchCollector],
  exports: [MetricsService],
})
export class ObservabilityModule {}
