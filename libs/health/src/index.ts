export { HealthModule } from './health.module';
export { documentLiveness } from './liveness.route';
