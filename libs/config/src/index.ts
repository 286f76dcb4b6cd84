export { APP_CONFIG, type AppConfig } from './app-config';
export { ConfigError, loadConfig, loadConfigWithWarnings, type LoadedConfig } from './load-config';
export { ConfigModule } from './config.module';
export { parseDuration } from './duration';
export { weakSecretWarning } from './jwt-secret';
