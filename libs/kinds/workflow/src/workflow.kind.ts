import { WorkflowStore } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { WORKFLOW_OPTIONS } from './workflow-options';
import { WORKFLOW_TABLES } from './workflow.tables';
import { WorkflowsModule } from './workflows.module';

/** The workflow kind, as the app's KINDS list registers it. */
export const workflowKind: KindLibrary = {
  module: WorkflowsModule,
  stores: { workflows: WorkflowStore },
  options: { workflows: WORKFLOW_OPTIONS },
  tables: WORKFLOW_TABLES,
};
