import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { ResourcesController } from './resources.controller';
import { ResourcesService } from './resources.service';

/** The resource kind: pools, leases, the expired-lease sweep. */
@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [ResourcesController],
  providers: [ResourcesService],
  exports: [ResourcesService],
})
export class ResourcesModule {}
