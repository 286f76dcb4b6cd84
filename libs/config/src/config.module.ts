import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, systemClock } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from './app-config';

/**
 * Provides what every module reads from its environment: the validated AppConfig (loaded once in
 * main.ts) and the Clock, the one source of domain time (a test module binds a ManualClock).
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: systemClock },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
