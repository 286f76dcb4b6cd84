import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { ServiceRegistryService } from './service-registry.service';
import { ServicesController } from './services.controller';

/** The service kind: registry, heartbeats, the missed-heartbeat sweep. */
@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [ServicesController],
  providers: [ServiceRegistryService],
  exports: [ServiceRegistryService],
})
export class ServiceRegistryModule {}
