import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type WorkflowOptions, WorkflowStore } from '@mediator/core';
import { APP_CONFIG, type AppConfig } from '@mediator/config';
import { SqlWorkflowStore } from './sql-workflow.store';
import { WORKFLOW_OPTIONS } from './workflow-options';
import { WorkflowOperations } from './workflow.operations';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

/** The workflow kind: steps run by handlers, compensation, resumed by any instance. */
@Module({
  controllers: [WorkflowsController],
  providers: [
    WorkflowsService,
    WorkflowOperations,
    {
      provide: SqlWorkflowStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new SqlWorkflowStore(dataSource),
    },
    { provide: WorkflowStore, useExisting: SqlWorkflowStore },
    {
      provide: WORKFLOW_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: ({ workflows }: AppConfig): Partial<WorkflowOptions> => ({
        retryCount: workflows.retryCount,
        leaseMs: workflows.leaseMs,
        stepTimeoutMs: workflows.stepTimeoutMs,
      }),
    },
  ],
  exports: [WorkflowStore, WORKFLOW_OPTIONS, WorkflowsService],
})
export class WorkflowsModule {}
