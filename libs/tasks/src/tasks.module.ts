import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The task kind: the priority queue, claims, the expired-claim sweep. */
@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [TasksController],
  providers: [TasksService],
  exports: [TasksService],
})
export class TasksModule {}
