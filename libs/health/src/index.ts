export { HealthModule } from './health.module';
export {
  documentLiveness,
  LIVE,
  LIVENESS_CACHE_CONTROL,
  LIVENESS_PATH,
  LivenessRoute,
} from './liveness.route';
