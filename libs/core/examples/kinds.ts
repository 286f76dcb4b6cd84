/**
 * The kinds of mediation in process (KINDS.md): events, commands, queries, pipeline behaviours,
 * notifications, workflows, services, resources, tasks and jobs. The kinds' snippets of
 * libs/core/README.md are taken from this file, and kinds.spec.ts runs it.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only libs/core/examples/kinds.ts
 */
// eslint-disable-next-line no-restricted-imports -- an example uses the library as its users do
import {
  BaseCommand,
  BaseEvent,
  BaseJob,
  BaseNotification,
  BaseQuery,
  BaseWorkflow,
  CommandHandler,
  ConcreteMediator,
  EventHandler,
  type IncomingRequest,
  ManualClock,
  MediatorError,
  type NotificationDelivery,
  NotificationHandler,
  QueryHandler,
  type ReceivedEvent,
  type Task,
  TaskHandler,
  WorkflowHandler,
  WorkflowStep,
  type WorkflowStepRun,
} from '@mediator/core';

class CreateUserHandler extends CommandHandler {
  private nextId = 1;
  constructor(id: string) {
    super(id, ['create_user']);
  }
  execute(command: IncomingRequest): unknown {
    const { name } = command.data as { name: string };
    return { id: this.nextId++, name, createdBy: this.id };
  }
}

class UserQueries extends QueryHandler {
  calls = 0;
  constructor() {
    super('user-queries', ['get_user']);
  }
  query(query: IncomingRequest): unknown {
    this.calls++;
    return { id: (query.data as { id: number }).id, name: 'Ada' };
  }
}

class WelcomeEmails extends EventHandler {
  readonly sent: string[] = [];
  constructor() {
    super('welcome-emails', ['user_created']);
  }
  on(event: ReceivedEvent): void {
    this.sent.push(`welcome ${(event.data as { name: string }).name}`);
  }
}

class EmailChannel extends NotificationHandler {
  failuresLeft = 1;
  constructor() {
    super('email-gateway', ['email']);
  }
  deliver(notification: NotificationDelivery): unknown {
    if (this.failuresLeft-- > 0) throw new Error('SMTP busy');
    return { messageId: `smtp-${notification.id}` };
  }
}

class OrderSteps extends WorkflowHandler {
  readonly log: string[] = [];
  constructor() {
    super('order-steps', ['reserve', 'release', 'charge', 'refund', 'ship']);
  }
  runStep(step: WorkflowStepRun): unknown {
    this.log.push(step.type);
    if (step.type === 'ship') throw new Error('no courier');
    return `${step.type} ok`;
  }
}

class Thumbnailer extends TaskHandler {
  constructor() {
    super('thumbnailer', ['thumbnail']);
  }
  process(task: Task): unknown {
    return { thumbnail: `${task.name}.small.png` };
  }
}

export interface KindsObserved {
  replies: unknown[];
  queryCalls: number;
  welcomes: string[];
  duplicate: boolean;
  log: string[];
  notification: string;
  workflow: { status: string; compensated: string[]; steps: string[] };
  unhealthy: string[];
  leaseError: string;
  tasks: string[];
  jobRuns: number;
  errorCodes: string[];
}

export async function main(log: (line: string) => void = console.log): Promise<KindsObserved> {
  const clock = new ManualClock('2024-01-01T00:00:00Z');
  const mediator = new ConcreteMediator({ timeout: 5_000 }, { clock, scheduler: clock });
  await mediator.registerColleague({ id: 'web' });

  // Pipeline behaviours: middleware around every dispatch.
  const dispatchLog: string[] = [];
  mediator.use(async (context, next) => {
    const result = await next();
    dispatchLog.push(`${context.operation} ${context.kind}/${context.type}`);
    return result;
  });

  // Commands: exactly one handler, taken in turn; the return value is the reply.
  await mediator.registerColleague(new CreateUserHandler('users-1'));
  await mediator.registerColleague(new CreateUserHandler('users-2'));
  const replies = [
    await mediator.execute('web', new BaseCommand('create_user', { name: 'Ada' })),
    await mediator.request('web', 'create_user', { name: 'Alan' }, { timeoutMs: 1_000 }),
  ];
  log(`replies: ${JSON.stringify(replies)}`);

  // Queries: like commands, and a repeated query is answered from the cache.
  const queries = new UserQueries();
  await mediator.registerColleague(queries);
  await mediator.query('web', new BaseQuery('get_user', { id: 1 }));
  await mediator.query('web', new BaseQuery('get_user', { id: 1 }));
  log(`the query handler ran ${queries.calls} time(s)`);

  // Events: to every subscriber once; publishing the same id again delivers nothing.
  const welcome = new WelcomeEmails();
  await mediator.registerColleague(welcome);
  await mediator.publish('web', new BaseEvent('user_created', { name: 'Ada' }, 'evt-1'));
  const again = await mediator.publish(
    'web',
    new BaseEvent('user_created', { name: 'Ada' }, 'evt-1'),
  );
  log(`welcomes: ${welcome.sent.join(', ')}; republished duplicate: ${again.duplicate}`);

  // Notifications: to the handler of notification.<channel>, retried with backoff.
  await mediator.registerColleague(new EmailChannel());
  const notification = await mediator.notifications.send(
    new BaseNotification('email', 'user-1', { subject: 'Welcome' }, 'welcome', 3),
  );
  log(`notification ${notification.status} after ${notification.attempts} attempts`);

  // Workflows: steps in order; a failing step is retried, then completed steps are compensated.
  const steps = new OrderSteps();
  await mediator.registerColleague(steps);
  const order = await mediator.workflows.start(
    new BaseWorkflow('order', [
      new WorkflowStep('reserve stock', 'reserve', 'release'),
      new WorkflowStep('charge card', 'charge', 'refund'),
      new WorkflowStep('ship', 'ship'),
    ]),
  );
  log(`workflow ${order.status}: ${steps.log.join(' → ')}`);

  // Services: a missed heartbeat makes a service unhealthy.
  await mediator.services.register({ name: 'billing', type: 'http', heartbeatTtlMs: 10_000 });
  clock.advance(10_001);
  const unhealthy = await mediator.services.checkHeartbeats();
  log(`unhealthy: ${unhealthy.map((s) => s.name).join(', ')}`);

  // Resources: leases never take more than the capacity.
  await mediator.resources.definePool({ name: 'gpus', type: 'gpu', capacity: 2 });
  await mediator.resources.acquire({
    resource: 'gpus',
    holderId: 'trainer',
    amount: 2,
    ttlMs: 60_000,
  });
  let leaseError = '';
  try {
    await mediator.resources.acquire({ resource: 'gpus', holderId: 'other' });
  } catch (error) {
    if (!(error instanceof MediatorError)) throw error;
    leaseError = error.code;
  }
  log(`second lease: ${leaseError}`);

  // Tasks: priority queue, one worker per task.
  await mediator.tasks.submit({ name: 'cat.png', type: 'thumbnail', priority: 1 });
  await mediator.tasks.submit({ name: 'urgent.png', type: 'thumbnail', priority: 9 });
  const worker = new Thumbnailer();
  const done = [await mediator.tasks.process(worker), await mediator.tasks.process(worker)];
  log(`tasks done in order: ${done.map((t) => t?.name).join(', ')}`);

  // Jobs: a cron schedule submits a task on every tick; tick(now) moves the scheduler.
  await mediator.jobs.schedule(new BaseJob('cleanup', 'thumbnail', '*/10 * * * * *'));
  for (let i = 0; i < 3; i++) {
    clock.advance(10_000);
    await mediator.jobs.tick();
  }
  const jobRuns = (await mediator.jobs.runs('cleanup')).length;
  log(`job runs: ${jobRuns}`);

  const errorCodes = [
    await codeOf(mediator.request('web', 'delete_user', { id: 1 })),
    await codeOf(mediator.workflows.get('no-such-workflow')),
    await codeOf(mediator.jobs.schedule(new BaseJob('bad', 'x', 'every day'))),
  ];
  log(`errors: ${errorCodes.join(', ')}`);

  return {
    replies,
    queryCalls: queries.calls,
    welcomes: welcome.sent,
    duplicate: again.duplicate,
    log: dispatchLog,
    notification: notification.status,
    workflow: { status: order.status, compensated: order.compensated, steps: steps.log },
    unhealthy: unhealthy.map((s) => s.name),
    leaseError,
    tasks: done.map((t) => t?.name ?? ''),
    jobRuns,
    errorCodes,
  };
}

async function codeOf(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof MediatorError) return error.code;
    throw error;
  }
  throw new Error('the operation succeeded');
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
