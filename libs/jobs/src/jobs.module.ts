import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsModule } from '@mediator/mediators';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/** The job kind: cron jobs that submit a task (or send a command) on every tick. */
@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [JobsController],
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
