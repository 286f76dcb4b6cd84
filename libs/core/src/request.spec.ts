import { FunctionColleague } from './colleague';
import { ConcreteMediator } from './concrete-mediator';
import { MediatorError, ValidationError } from './errors';
import { BaseCommand, BaseQuery } from './kinds/base-messages';
import { CommandHandler, type IncomingRequest, QueryHandler } from './kinds/handlers';
import { InMemoryColleagueDirectory, InMemoryMessageStore, LocalDelivery } from './memory-adapters';
import type { Envelope } from './model';
import type { PipelineBehaviour } from './pipeline';
import type { LifecycleEvent } from './ports';
import { ManualClock } from './timing';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A command handler that records what it executed and answers with `reply(request)`. */
class Recorder extends CommandHandler {
  readonly executed: IncomingRequest[] = [];
  constructor(
    id: string,
    types: string[],
    private readonly reply: (r: IncomingRequest) => unknown = (r) => ({ by: id, got: r.data }),
  ) {
    super(id, types);
  }
  execute(command: IncomingRequest): unknown {
    this.executed.push(command);
    return this.reply(command);
  }
}

async function mediatorWith(...handlers: FunctionColleague[] | Recorder[]) {
  const clock = new ManualClock();
  const mediator = new ConcreteMediator({ timeout: 1000 }, { clock, scheduler: clock });
  const events: LifecycleEvent[] = [];
  mediator.onEvent((e) => events.push(e));
  await mediator.registerColleague({ id: 'client' });
  for (const handler of handlers) await mediator.registerColleague(handler);
  return { mediator, clock, events };
}

async function rejection(promise: Promise<unknown>): Promise<MediatorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MediatorError);
    return error as MediatorError;
  }
  throw new Error('expected a rejection');
}

describe('request/reply (commands)', () => {
  it('gives each command to exactly one handler and resolves with its reply', async () => {
    const [a, b] = [new Recorder('a', ['create_user']), new Recorder('b', ['other'])];
    const { mediator } = await mediatorWith(a, b);

    const reply = await mediator.request('client', 'create_user', { name: 'Ada' });

    expect(reply).toEqual({ by: 'a', got: { name: 'Ada' } });
    expect(a.executed).toHaveLength(1);
    expect(b.executed).toHaveLength(0);
  });

  it('rotates round-robin over the handlers of a type, each command to one of them', async () => {
    const handlers = ['h1', 'h2', 'h3'].map((id) => new Recorder(id, ['work']));
    const { mediator } = await mediatorWith(...handlers);

    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await mediator.request('client', 'work', i));

    expect(replies.map((r) => (r as { by: string }).by)).toEqual([
      'h1',
      'h2',
      'h3',
      'h1',
      'h2',
      'h3',
    ]);
    expect(handlers.map((h) => h.executed.map((c) => c.data))).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('gives the request a correlation id equal to its id and stores it as a message', async () => {
    const a = new Recorder('a', ['ping']);
    const { mediator, events } = await mediatorWith(a);

    await mediator.execute('client', new BaseCommand('ping', null));

    const request = a.executed[0];
    expect(request.correlationId).toBe(request.id);
    expect(request).toMatchObject({ kind: 'command', type: 'ping', senderId: 'client' });
    expect(events.map((e) => e.event).slice(-2)).toEqual(['message_sent', 'command_completed']);
    expect(events.at(-1)?.data).toMatchObject({ id: request.id, handler_id: 'a' });
  });

  it('fails with NO_HANDLER (not_found) when no active, reachable colleague handles the type', async () => {
    const { mediator } = await mediatorWith(new Recorder('a', ['other']));
    await mediator.registerColleague({ id: 'data-only', handles: ['create_user'] }); // no receiver
    await mediator.registerColleague(
      Object.assign(new Recorder('asleep', ['create_user']), { active: false }),
    );

    const error = await rejection(mediator.request('client', 'create_user', null));

    expect(error.code).toBe('NO_HANDLER');
    expect(error.category).toBe('not_found');
  });

  it('rejects with REQUEST_TIMEOUT when the handler does not answer in time, and not before', async () => {
    const silent = new FunctionColleague('slow', () => new Promise(() => undefined));
    Object.assign(silent, { handles: ['slow_op'] });
    const { mediator, clock } = await mediatorWith(silent);

    let settled = false;
    const pending = mediator.request('client', 'slow_op', null, { timeoutMs: 500 });
    pending.catch(() => undefined).finally(() => (settled = true));
    await flush();
    clock.advance(499);
    await flush();
    expect(settled).toBe(false);

    clock.advance(1);
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', category: 'timeout' });
  });

  it('uses config.timeout when the request gives none', async () => {
    const silent = Object.assign(
      new FunctionColleague('slow', () => new Promise(() => undefined)),
      { handles: ['slow_op'] },
    );
    const { mediator, clock } = await mediatorWith(silent);
    const pending = mediator.request('client', 'slow_op', null);
    await flush();
    clock.advance(1000);
    await expect(pending).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
  });

  it("passes on the handler's MediatorError and wraps other errors as HANDLER_FAILED", async () => {
    const picky = new Recorder('picky', ['validate'], () => {
      throw new ValidationError('name missing');
    });
    const broken = new Recorder('broken', ['crash'], () => {
      throw new Error('disk full');
    });
    const { mediator } = await mediatorWith(picky, broken);

    const domain = await rejection(mediator.request('client', 'validate', {}));
    const wrapped = await rejection(mediator.request('client', 'crash', {}));

    expect(domain).toMatchObject({ code: 'VALIDATION_FAILED', message: 'name missing' });
    expect(wrapped).toMatchObject({ code: 'HANDLER_FAILED', category: 'unprocessable' });
    expect(wrapped.message).toContain('disk full');
  });

  it('refuses an unknown or inactive sender and a kind that is not a request', async () => {
    const { mediator } = await mediatorWith(new Recorder('a', ['x']));
    await mediator.registerColleague({ id: 'off', active: false });

    expect((await rejection(mediator.request('ghost', 'x', null))).code).toBe(
      'COLLEAGUE_NOT_FOUND',
    );
    expect((await rejection(mediator.request('off', 'x', null))).code).toBe('COLLEAGUE_INACTIVE');
    const badKind = await rejection(mediator.request('client', 'x', null, { kind: 'event' }));
    expect(badKind.details?.[0].field).toBe('kind');
    expect((await rejection(mediator.request('client', '', null))).code).toBe('VALIDATION_FAILED');
  });
});

describe('queries', () => {
  class Counter extends QueryHandler {
    calls = 0;
    constructor() {
      super('stock', ['get_stock']);
    }
    query(q: IncomingRequest): unknown {
      this.calls++;
      return { sku: (q.data as { sku: string }).sku, count: this.calls };
    }
  }

  it('answers a repeated query with the same data from the cache, without the handler', async () => {
    const stock = new Counter();
    const { mediator } = await mediatorWith(stock as unknown as Recorder);

    const first = await mediator.query(
      'client',
      new BaseQuery('get_stock', { sku: 'a', opts: { x: 1, y: 2 } }),
    );
    // Same data, keys in another order: the same canonical key.
    const again = await mediator.request(
      'client',
      'get_stock',
      { opts: { y: 2, x: 1 }, sku: 'a' },
      { kind: 'query' },
    );
    const other = await mediator.query('client', new BaseQuery('get_stock', { sku: 'b' }));

    expect(again).toEqual(first);
    expect(other).toEqual({ sku: 'b', count: 2 });
    expect(stock.calls).toBe(2);
  });

  it('asks the handler again once the ttl has passed', async () => {
    const stock = new Counter();
    const { mediator, clock } = await mediatorWith(stock as unknown as Recorder);
    const ask = () =>
      mediator.query('client', new BaseQuery('get_stock', { sku: 'a' }, undefined, 1000));

    await ask();
    clock.advance(999);
    await ask();
    expect(stock.calls).toBe(1);
    clock.advance(1);
    expect(await ask()).toEqual({ sku: 'a', count: 2 });
  });

  it('does not cache commands, failures, or with a ttl of 0', async () => {
    const stock = new Counter();
    const { mediator } = await mediatorWith(stock as unknown as Recorder);
    await mediator.request('client', 'get_stock', { sku: 'a' }, { kind: 'command' });
    await mediator.request('client', 'get_stock', { sku: 'a' }, { kind: 'command' });
    await mediator.query('client', new BaseQuery('get_stock', { sku: 'z' }, undefined, 0));
    await mediator.query('client', new BaseQuery('get_stock', { sku: 'z' }, undefined, 0));
    expect(stock.calls).toBe(4);
  });
});

describe('pipeline behaviours', () => {
  it('wrap sends, broadcasts, requests and publishes, outermost first', async () => {
    const { mediator } = await mediatorWith(new Recorder('a', ['op']));
    const log: string[] = [];
    mediator
      .use(async (ctx, next) => {
        log.push(`log ${ctx.operation} ${ctx.kind}/${ctx.type} from ${ctx.senderId}`);
        return next();
      })
      .use(async (ctx, next) => {
        const result = await next();
        log.push(`metric ${ctx.operation} handler=${ctx.items.get('handlerId') ?? '-'}`);
        return result;
      });

    await mediator.sendMessage('client', 'a', 'hi');
    await mediator.broadcastMessage('client', 'all');
    await mediator.request('client', 'op', 1);
    await mediator.publishEvent('client', 'happened', {});

    expect(log).toEqual([
      'log send message/direct from client',
      'metric send handler=-',
      'log broadcast message/broadcast from client',
      'metric broadcast handler=-',
      'log request command/op from client',
      'metric request handler=a',
      'log publish event/happened from client',
      'metric publish handler=-',
    ]);
  });

  it('lets a validation behaviour stop a dispatch before anything is stored or delivered', async () => {
    const a = new Recorder('a', ['op']);
    const { mediator, events } = await mediatorWith(a);
    const validate: PipelineBehaviour = async (ctx, next) => {
      if (ctx.data === null)
        throw new ValidationError('data required', [{ field: 'data', problem: 'required' }]);
      return next();
    };
    mediator.use(validate);
    const before = events.length;

    await expect(mediator.request('client', 'op', null)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(mediator.sendMessage('client', 'a', null)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    expect(a.executed).toEqual([]);
    expect(a.received).toEqual([]);
    expect(events.length).toBe(before);
  });

  it('can replace a reply (e.g. a behaviour that maps results)', async () => {
    const { mediator } = await mediatorWith(new Recorder('a', ['op'], () => 2));
    mediator.use(async (_ctx, next) => ((await next()) as number) * 10);
    await expect(mediator.request('client', 'op', null)).resolves.toBe(20);
  });

  it('sees the cache outcome of a query', async () => {
    const { mediator } = await mediatorWith(new Recorder('a', ['q'], () => 'answer'));
    const outcomes: unknown[] = [];
    mediator.use(async (ctx, next) => {
      const result = await next();
      outcomes.push(ctx.items.get('cache'));
      return result;
    });
    await mediator.query('client', new BaseQuery('q', 1));
    await mediator.query('client', new BaseQuery('q', 1));
    expect(outcomes).toEqual(['miss', 'hit']);
  });
});

describe('request through ports', () => {
  const memoryPorts = () => ({
    directory: new InMemoryColleagueDirectory(),
    messages: new InMemoryMessageStore(),
    delivery: new LocalDelivery(),
  });

  it('needs a RequestPort', async () => {
    const mediator = new ConcreteMediator({}, { ports: memoryPorts() });
    await mediator.registerColleague({ id: 'a' });
    await expect(mediator.request('a', 'x', null)).rejects.toThrow(/without requests/);
  });

  it('sends the stored envelope to the port and cancels it on timeout', async () => {
    const clock = new ManualClock();
    let seen: { envelope: Envelope; handlerId: string } | undefined;
    const cancelled: string[] = [];
    const mediator = new ConcreteMediator(
      { timeout: 100 },
      {
        ports: {
          ...memoryPorts(),
          scheduler: clock,
          clock,
          requests: {
            reachable: async (_m, ids) => ids,
            request: (envelope, handlerId) => {
              seen = { envelope, handlerId };
              return new Promise(() => undefined);
            },
            cancel: (envelope) => void cancelled.push(envelope.id),
          },
        },
      },
    );
    await mediator.registerColleague({ id: 'client' });
    await mediator.registerColleague({ id: 'remote', handles: ['op'] });

    const pending = mediator.request('client', 'op', { n: 1 });
    await flush();
    expect(seen?.handlerId).toBe('remote');
    expect(seen?.envelope).toMatchObject({
      kind: 'command',
      type: 'op',
      recipientId: 'remote',
      payload: { n: 1 },
    });
    expect(cancelled).toEqual([]);
    clock.advance(100);
    await expect(pending).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
    expect(cancelled).toEqual([seen?.envelope.id]);
  });
});
