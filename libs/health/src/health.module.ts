import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ComponentHealth } from './component-health';
import { HealthController } from './health.controller';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [ComponentHealth],
  exports: [ComponentHealth],
})
export class HealthModule {}
