import { Global, Module } from '@nestjs/common';
import { METRIC_PROVIDERS, MetricsService } from './metrics.service';
import { GaugeCollector } from './gauge.collector';

@Global()
@Module({
  providers: [...METRIC_PROVIDERS, MetricsService, GaugeCollector],
  exports: [MetricsService],
})
export class ObservabilityModule {}
