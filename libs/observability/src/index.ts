export { ObservabilityModule } from './observability.module';
export { MetricsService } from './metrics.service';
export { createPinoLogger, logRequestsAtDebug, PinoNestLogger } from './logger';
