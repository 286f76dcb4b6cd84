/**
 * The in-process usage of @mediator/core, as the original service's examples showed it.
 * Every snippet of libs/core/README.md is taken from this file, and in-process.spec.ts runs it.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only libs/core/examples/in-process.ts
 */
// eslint-disable-next-line no-restricted-imports -- an example uses the library as its users do
import {
  BaseColleague,
  ConcreteMediator,
  type Envelope,
  FunctionColleague,
  MediatorError,
  MediatorRegistry,
} from '@mediator/core';

interface NewUser {
  name: string;
  email: string;
}

class UserService extends BaseColleague {
  readonly replies: string[] = [];

  constructor() {
    super('user-service', 'User Service');
  }

  createUser(user: NewUser): Promise<Envelope> {
    return this.send('email-service', { ...user }, { type: 'user_created' });
  }

  protected handle(envelope: Envelope): void {
    this.replies.push(`${envelope.type} from ${envelope.senderId}`);
  }
}

class EmailService extends BaseColleague {
  readonly outbox: string[] = [];

  constructor() {
    super('email-service', 'Email Service');
  }

  protected async handle(envelope: Envelope): Promise<void> {
    if (envelope.type !== 'user_created') return;
    const user = envelope.payload as unknown as NewUser;
    this.outbox.push(`Welcome, ${user.name}! -> ${user.email}`);
    const reply = { type: 'welcome_email_sent', correlationId: envelope.id };
    await this.send(envelope.senderId, { email: user.email }, reply);
  }
}

/** Runs an operation that should fail and returns the code of its domain error. */
async function errorCodeOf(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof MediatorError) return error.code;
    throw error;
  }
  throw new Error('the operation succeeded');
}

export interface Observed {
  sent: Envelope;
  outbox: string[];
  replies: string[];
  broadcastRecipients: number;
  auditLog: string[];
  events: string[];
  errorCodes: string[];
  mediators: string[];
}

export async function main(log: (line: string) => void = console.log): Promise<Observed> {
  // 1. A mediator; without ports it keeps everything in memory and delivers by calling receive().
  const mediator = new ConcreteMediator({ maxColleagues: 10 });

  const events: string[] = [];
  const stopListening = mediator.onEvent((event) => {
    events.push(event.event);
    log(`event ${event.event} ${JSON.stringify(event.data)}`);
  });

  // 2. Register colleagues; each one is then given the mediator to talk through.
  const users = new UserService();
  const emails = new EmailService();
  const auditLog: string[] = [];
  const audit = new FunctionColleague('audit-log', (envelope) => {
    auditLog.push(`${envelope.senderId}: ${JSON.stringify(envelope.payload)}`);
  });
  await mediator.registerColleague(users);
  await mediator.registerColleague(emails);
  await mediator.registerColleague(audit);

  // 3. Send: user-service -> email-service, which replies to user-service.
  const sent = await users.createUser({ name: 'Ada', email: 'ada@example.com' });
  log(`sent ${sent.id} (${sent.type}) to ${sent.recipientId}`);
  log(`email outbox: ${emails.outbox.join('; ')}`);
  log(`user-service got: ${users.replies.join('; ')}`);

  // 4. Broadcast: every active colleague except the sender receives it.
  const notice = await users.broadcast({ notice: 'maintenance at 02:00' }, { type: 'maintenance' });
  log(`broadcast ${notice.id} reached ${notice.recipients} colleagues`);

  // 5. Errors carry a stable code and category; branch on the code, not on the message.
  try {
    await mediator.sendMessage('user-service', 'sms-service', 'hi');
  } catch (error) {
    if (!(error instanceof MediatorError)) throw error;
    log(`${error.code} (${error.category}): ${error.message}`);
  }
  const errorCodes = [
    await errorCodeOf(mediator.sendMessage('user-service', 'sms-service', 'hi')),
    await errorCodeOf(mediator.registerColleague(new EmailService())),
    await errorCodeOf(mediator.registerColleague({ id: 'not valid!' })),
  ];
  log(`errors: ${errorCodes.join(', ')}`);

  await mediator.unregisterColleague('audit-log');
  stopListening();

  // 6. Named mediators: a registry enforces unique, valid names and a maximum count.
  const registry = new MediatorRegistry({ maxMediators: 2 });
  const orders = await registry.create({ name: 'orders', maxColleagues: 50 });
  const ordersMediator = new ConcreteMediator(registry.config, {
    name: orders.name,
    maxColleagues: orders.maxColleagues,
  });
  log(`mediator ${ordersMediator.name} allows ${orders.maxColleagues} colleagues`);

  errorCodes.push(await errorCodeOf(registry.create({ name: 'orders' })));
  await registry.create({ name: 'billing' });
  await registry.update('billing', { description: 'invoices' });
  errorCodes.push(await errorCodeOf(registry.create({ name: 'shipping' })));
  errorCodes.push(await errorCodeOf(registry.create({ name: '-bad name' })));
  errorCodes.push(await errorCodeOf(registry.get('unknown')));
  log(`registry errors: ${errorCodes.slice(3).join(', ')}`);
  await registry.remove('billing');
  const mediators = [(await registry.get('orders')).name];

  return {
    sent,
    outbox: emails.outbox,
    replies: users.replies,
    broadcastRecipients: notice.recipients,
    auditLog,
    events,
    errorCodes,
    mediators,
  };
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
