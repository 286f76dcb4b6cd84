import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JobStore } from '@mediator/core';
import { JobOperations } from './job.operations';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { SqlJobStore } from './sql-job.store';

/** The job kind: cron jobs that submit a task (or send a command) on every tick. */
@Module({
  controllers: [JobsController],
  providers: [
    JobsService,
    JobOperations,
    {
      provide: SqlJobStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new SqlJobStore(dataSource),
    },
    { provide: JobStore, useExisting: SqlJobStore },
  ],
  exports: [JobStore, JobsService],
})
export class JobsModule {}
