import { Global, Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { METRIC_PROVIDERS, MetricsService } from './metrics.service';
import { GaugeCollector } from './gauge.collector';

@Global()
@Module({
  imports: [EventsModule],
  providers: [...METRIC_PROVIDERS, MetricsService, GaugeCollector],
  exports: [MetricsService],
})
export class ObservabilityModule {}
