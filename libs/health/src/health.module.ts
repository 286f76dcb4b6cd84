import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ComponentHealth } from '@mediator/component-health';
import { HealthController } from './health.controller';
import { LivenessRoute } from './liveness.route';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController],
  providers: [ComponentHealth, LivenessRoute],
  exports: [ComponentHealth],
})
export class HealthModule {}
