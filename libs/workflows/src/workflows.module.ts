import { Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { MediatorsModule } from '@mediator/mediators';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

@Module({
  imports: [MediatorsModule, EventsModule],
  controllers: [WorkflowsController],
  providers: [WorkflowsService],
  exports: [WorkflowsService],
})
export class WorkflowsModule {}
