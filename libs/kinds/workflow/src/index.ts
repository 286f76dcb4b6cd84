export { workflowKind } from './workflow.kind';
export { WorkflowsModule } from './workflows.module';
export { WorkflowsService, type StartWorkflowCommand } from './workflows.service';
export { StartWorkflowDto, WorkflowDto, WorkflowStepDto } from './workflow.dto';
