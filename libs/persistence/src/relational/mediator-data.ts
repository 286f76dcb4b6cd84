import type { EntityManager } from 'typeorm';
import { MessageEntity, MessageRecipientEntity } from '../documents/entities';
import { EventEntity } from '../kinds/event/event.entity';
import { JobEntity, JobRunEntity } from '../kinds/job/job.entity';
import { NotificationEntity } from '../kinds/notification/notification.entity';
import { ResourceEntity, ResourceLeaseEntity } from '../kinds/resources/resource.entity';
import { ServiceEntity } from '../kinds/services/service.entity';
import { TaskEntity } from '../kinds/task/task.entity';
import { WorkflowEntity } from '../kinds/workflow/workflow.entity';
import { ColleagueEntity } from './entities';

/**
 * Every table that holds a mediator's data, keyed by its `mediator` column. Not the outbox: a
 * deleted mediator's events (`mediator_deleted` last) still go out. Not the audit log: it records
 * who did what, and outlives what it is about. The message tables are here even when messages
 * live in MongoDB (the tables are then empty); the MongoDB copy is purged by its repository.
 */
const MEDIATOR_TABLES = [
  MessageRecipientEntity,
  MessageEntity,
  EventEntity,
  TaskEntity,
  JobRunEntity,
  JobEntity,
  ServiceEntity,
  ResourceLeaseEntity,
  ResourceEntity,
  WorkflowEntity,
  NotificationEntity,
  ColleagueEntity,
] as const;

/** Deletes all of a mediator's rows but the mediator's own (inside the caller's transaction). */
export async function deleteMediatorData(manager: EntityManager, mediator: string): Promise<void> {
  for (const table of MEDIATOR_TABLES) await manager.delete(table, { mediator });
}
