import { Injectable } from '@nestjs/common';
import type { Scope } from '@mediator/auth';
import { toPageRequest } from '@mediator/http';
import { KafkaOperation } from '@mediator/kafka';
import {
  ListWorkflowsCommandDto,
  StartWorkflowCommandDto,
  WorkflowDto,
  WorkflowRefCommandDto,
  toStartWorkflowCommand,
} from './workflow.dto';
import { WorkflowsService } from './workflows.service';

// The scopes of the REST routes of the same operations.
const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

/**
 * `start_workflow`, `get_workflow`, `list_workflows` and `cancel_workflow`: REST's body or query
 * plus `mediator` (and `id`); results are the REST wire objects.
 */
@Injectable()
export class WorkflowOperations {
  constructor(private readonly workflows: WorkflowsService) {}

  @KafkaOperation('start_workflow', StartWorkflowCommandDto, SENDS)
  async start(p: StartWorkflowCommandDto) {
    return WorkflowDto.from(await this.workflows.start(p.mediator, toStartWorkflowCommand(p)));
  }

  @KafkaOperation('get_workflow', WorkflowRefCommandDto, READS)
  async get(p: WorkflowRefCommandDto) {
    return WorkflowDto.from(await this.workflows.get(p.mediator, p.id));
  }

  @KafkaOperation('list_workflows', ListWorkflowsCommandDto, READS)
  async list(p: ListWorkflowsCommandDto) {
    const page = await this.workflows.list(p.mediator, p.status, toPageRequest(p));
    return { items: page.items.map(WorkflowDto.from), next_cursor: page.nextCursor };
  }

  // A workflow belongs to its mediator, not to the colleague that started it (as REST).
  @KafkaOperation('cancel_workflow', WorkflowRefCommandDto, { ...SENDS, noColleague: true })
  async cancel(p: WorkflowRefCommandDto) {
    return WorkflowDto.from(await this.workflows.cancel(p.mediator, p.id));
  }
}
