import { Global, Module } from '@nestjs/common';
import { METRIC_PROVIDERS, MetricsService } from './metrics.service';
import { GaugeCollector } from './gauge.collector';
import { MetricsSampler } from './metrics-sampler';
import { MetricsController } from './metrics.controller';
import { StoreBatchCollector } from './store-batch.collector';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    ...METRIC_PROVIDERS,
    MetricsService,
    GaugeCollector,
    StoreBatchCollector,
    MetricsSampler,
  ],
  exports: [MetricsService],
})
export class ObservabilityModule {}
