/**
 * In-process dispatch: @mediator/core vs @nestjs/cqrs (CommandBus/EventBus) vs a direct function
 * call, in the same process and run, for three operations:
 *
 *   send          one-way message to one colleague     | CommandBus.execute, handler returns nothing
 *   request/reply command to its handler, awaits reply  | CommandBus.execute, handler returns a value
 *   fan-out x10   event to 10 subscribers               | EventBus.publish to 10 @EventsHandler
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/bench/core-dispatch.bench.ts
 *
 * Not a test: it prints ops/s and ratios. Notes on fairness:
 * - the core's in-memory adapters store every message and event (they are its message store and
 *   event history), and assign UUIDv7 ids and lifecycle events; that is part of what is measured;
 * - core `publishEvent` resolves once all 10 subscribers' `receive` promises settled; cqrs
 *   `EventBus.publish` returns once its RxJS subject has called the 10 handlers (it does not wait
 *   for their promises), which is the closest it offers;
 * - @nestjs/cqrs 12 is ESM-only; ts-node compiles this file to CommonJS and Node >= 20.19
 *   require()s it, which works outside jest.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  CommandBus,
  CommandHandler,
  CqrsModule,
  EventBus,
  EventsHandler,
  type ICommandHandler,
  type IEventHandler,
} from '@nestjs/cqrs';
import { ConcreteMediator, type Envelope } from '@mediator/core';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FAN_OUT = 10;

// ---------- the work every contender does: add two numbers, count events ----------

let eventsHandled = 0;
const add = (a: number, b: number) => a + b;
async function directAdd(a: number, b: number): Promise<number> {
  return add(a, b);
}
async function directHandle(_event: unknown): Promise<void> {
  eventsHandled++;
}

// ---------- @nestjs/cqrs ----------

class AddCommand {
  constructor(
    readonly a: number,
    readonly b: number,
  ) {}
}
class NoteCommand {
  constructor(readonly text: string) {}
}
class SomethingHappened {
  constructor(readonly n: number) {}
}

@CommandHandler(AddCommand)
class AddHandler implements ICommandHandler<AddCommand> {
  async execute(command: AddCommand): Promise<number> {
    return add(command.a, command.b);
  }
}

@CommandHandler(NoteCommand)
class NoteHandler implements ICommandHandler<NoteCommand> {
  async execute(_command: NoteCommand): Promise<void> {
    return undefined;
  }
}

/** Ten distinct handler classes, since cqrs registers one instance per class. */
const eventHandlers = Array.from({ length: FAN_OUT }, () => {
  @EventsHandler(SomethingHappened)
  class Subscriber implements IEventHandler<SomethingHappened> {
    async handle(_event: SomethingHappened): Promise<void> {
      eventsHandled++;
    }
  }
  return Subscriber;
});

@Module({
  imports: [CqrsModule.forRoot()],
  providers: [AddHandler, NoteHandler, ...eventHandlers],
})
class BenchModule {}

// ---------- @mediator/core ----------

async function coreMediator(): Promise<ConcreteMediator> {
  const mediator = new ConcreteMediator({ timeout: 30_000 }, { name: 'bench' });
  // Plain receivers (not BaseColleague) so nothing but the mediator keeps the envelopes.
  await mediator.registerColleague({
    id: 'client',
    subscriptions: ['none'],
    receive: () => undefined,
  } as never);
  await mediator.registerColleague({
    id: 'calculator',
    handles: ['add'],
    subscriptions: ['none'],
    receive: (e: Envelope) => {
      const { a, b } = e.payload as { a: number; b: number };
      return add(a, b);
    },
  } as never);
  for (let i = 0; i < FAN_OUT; i++) {
    await mediator.registerColleague({
      id: `subscriber-${i}`,
      subscriptions: ['something_happened'],
      receive: async () => {
        eventsHandled++;
      },
    } as never);
  }
  return mediator;
}

// ---------- measuring ----------

/** Runs `op` back to back (each awaited) for ROUND_MS, ROUNDS times; the median ops/s. */
async function measure(op: () => Promise<unknown>): Promise<number> {
  const warmUpUntil = performance.now() + 200;
  while (performance.now() < warmUpUntil) await op();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let ops = 0;
    const start = performance.now();
    const end = start + ROUND_MS;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++) await op();
      ops += 100;
    }
    rates.push(ops / ((performance.now() - start) / 1000));
  }
  return rates.sort((x, y) => x - y)[Math.floor(rates.length / 2)];
}

interface Row {
  operation: string;
  direct: number;
  cqrs: number;
  core: number;
}

function format(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function printTable(rows: Row[]): void {
  console.log(
    [
      '| operation | direct call ops/s | @nestjs/cqrs ops/s | @mediator/core ops/s | core / cqrs | direct / core |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.operation} | ${format(r.direct)} | ${format(r.cqrs)} | ${format(r.core)} | ${(r.core / r.cqrs).toFixed(2)} | ${(r.direct / r.core).toFixed(1)} |`,
      ),
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  await app.init();
  const commandBus = app.get(CommandBus);
  const eventBus = app.get(EventBus);
  const mediator = await coreMediator();

  // Each contender must really do the work before it is timed.
  if ((await commandBus.execute(new AddCommand(2, 3))) !== 5) throw new Error('cqrs add');
  if ((await mediator.request('client', 'add', { a: 2, b: 3 })) !== 5) throw new Error('core add');
  eventsHandled = 0;
  eventBus.publish(new SomethingHappened(1));
  await mediator.publishEvent('client', 'something_happened', { n: 1 });
  if (eventsHandled !== 2 * FAN_OUT) throw new Error(`fan-out reached ${eventsHandled} handlers`);

  const events = Array.from({ length: FAN_OUT });
  const rows: Row[] = [
    {
      operation: 'send (one-way)',
      direct: await measure(() => directHandle('note')),
      cqrs: await measure(() => commandBus.execute(new NoteCommand('note'))),
      core: await measure(() => mediator.sendMessage('client', 'calculator', 'note')),
    },
    {
      operation: 'request/reply',
      direct: await measure(() => directAdd(2, 3)),
      cqrs: await measure(() => commandBus.execute(new AddCommand(2, 3))),
      core: await measure(() => mediator.request('client', 'add', { a: 2, b: 3 })),
    },
    {
      operation: `event fan-out to ${FAN_OUT}`,
      direct: await measure(() => Promise.all(events.map(directHandle))),
      cqrs: await measure(async () => eventBus.publish(new SomethingHappened(1))),
      core: await measure(() => mediator.publishEvent('client', 'something_happened', { n: 1 })),
    },
  ];

  console.log(`node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms each, median shown\n`);
  printTable(rows);
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
