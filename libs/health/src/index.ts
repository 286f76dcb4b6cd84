export { HealthModule } from './health.module';
export { ComponentHealth, type ComponentCheck } from './component-health';
export { documentLiveness } from './liveness.route';
