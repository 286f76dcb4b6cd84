import { Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { MediatorsModule } from '@mediator/mediators';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/** The job kind: cron jobs that submit a task (or send a command) on every tick. */
@Module({
  imports: [MediatorsModule, EventsModule],
  controllers: [JobsController],
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
