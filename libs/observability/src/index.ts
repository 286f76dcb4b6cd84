export { ObservabilityModule } from './observability.module';
export { MetricsService } from './metrics.service';
export { createPinoLogger, LazyRequestLogger, logRequestsAtDebug, PinoNestLogger } from './logger';
