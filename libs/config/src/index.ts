export { APP_CONFIG, type AppConfig } from './app-config';
export { ConfigError, loadConfig } from './load-config';
export { ConfigModule } from './config.module';
export { parseDuration } from './duration';
export { weakSecretWarning } from './jwt-secret';
