import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TaskStore } from '@mediator/core';
import { TaskOperations } from './task.operations';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { SqlTaskStore } from './sql-task.store';

/** The task kind: the priority queue, claims, the expired-claim sweep. */
@Module({
  controllers: [TasksController],
  providers: [
    TasksService,
    TaskOperations,
    {
      provide: SqlTaskStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new SqlTaskStore(dataSource),
    },
    { provide: TaskStore, useExisting: SqlTaskStore },
  ],
  exports: [TaskStore, TasksService],
})
export class TasksModule {}
