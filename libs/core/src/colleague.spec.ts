import { BaseColleague, FunctionColleague, type MediatorHandle, isReceiver } from './colleague';
import { ConcreteMediator } from './concrete-mediator';
import type { BroadcastEnvelope, Envelope } from './model';

class Greeter extends BaseColleague {
  readonly handled: string[] = [];
  protected handle(envelope: Envelope): void {
    if (envelope.payload === 'explode') throw new Error('cannot greet that');
    this.handled.push(String(envelope.payload));
  }
}

function fakeHandle(): MediatorHandle & { sent: unknown[][]; broadcasts: unknown[][] } {
  const sent: unknown[][] = [];
  const broadcasts: unknown[][] = [];
  return {
    sent,
    broadcasts,
    async sendMessage(...args) {
      sent.push(args);
      return { id: 'm1' } as Envelope;
    },
    async broadcastMessage(...args) {
      broadcasts.push(args);
      return { id: 'b1', recipients: 0 } as unknown as BroadcastEnvelope;
    },
  };
}

describe('BaseColleague', () => {
  it('defaults its name to its id and its type to message', () => {
    const greeter = new Greeter('greeter');
    expect(greeter).toMatchObject({ id: 'greeter', name: 'greeter', type: 'message' });
    expect(new Greeter('g', 'Greeter', 'event')).toMatchObject({ name: 'Greeter', type: 'event' });
  });

  it('refuses to send or broadcast before it is registered', () => {
    const greeter = new Greeter('greeter');
    expect(() => greeter.send('x', 'hi')).toThrow(
      "colleague 'greeter' is not registered with a mediator",
    );
    expect(() => greeter.broadcast('hi')).toThrow(/not registered/);
  });

  it('sends and broadcasts through its mediator with its own id as sender', async () => {
    const greeter = new Greeter('greeter');
    const handle = fakeHandle();
    greeter.setMediator(handle);

    await expect(greeter.send('bob', { hi: 1 }, { type: 'hello' })).resolves.toEqual({ id: 'm1' });
    await greeter.broadcast('all', { kind: 'event' });

    expect(handle.sent).toEqual([['greeter', 'bob', { hi: 1 }, { type: 'hello' }]]);
    expect(handle.broadcasts).toEqual([['greeter', 'all', { kind: 'event' }]]);
  });

  it('can be detached from its mediator again', () => {
    const greeter = new Greeter('greeter');
    greeter.setMediator(fakeHandle());
    greeter.setMediator(undefined);
    expect(() => greeter.send('x', 1)).toThrow(/not registered/);
  });

  it('records what it receives and hands it to handle()', async () => {
    const greeter = new Greeter('greeter');
    const envelope = { payload: 'Ada' } as Envelope;
    await greeter.receive(envelope);
    expect(greeter.received).toEqual([envelope]);
    expect(greeter.handled).toEqual(['Ada']);
  });

  it('propagates an error from handle() to the caller of receive()', async () => {
    const greeter = new Greeter('greeter');
    await expect(greeter.receive({ payload: 'explode' } as Envelope)).rejects.toThrow(
      'cannot greet that',
    );
    expect(greeter.received).toHaveLength(1);
  });

  it('is given its mediator on registration, so it can talk to other colleagues', async () => {
    const mediator = new ConcreteMediator();
    const alice = new Greeter('alice');
    const bob = new Greeter('bob');
    await mediator.registerColleague(alice);
    await mediator.registerColleague(bob);

    await alice.send('bob', 'from alice');
    await bob.broadcast('from bob');

    expect(bob.handled).toEqual(['from alice']);
    expect(alice.handled).toEqual(['from bob']);
  });
});

describe('FunctionColleague', () => {
  it('calls its function with the envelope and itself, so it can reply', async () => {
    const mediator = new ConcreteMediator();
    const pings: Envelope[] = [];
    const ponger = new FunctionColleague('ponger', async (envelope, self) => {
      if (envelope.type === 'ping') await self.send(envelope.senderId, 'pong', { type: 'pong' });
    });
    const pinger = new FunctionColleague('pinger', (envelope) => {
      pings.push(envelope);
    });
    await mediator.registerColleague(ponger);
    await mediator.registerColleague(pinger);

    await mediator.sendMessage('pinger', 'ponger', 'ping', { type: 'ping' });

    expect(pings).toHaveLength(1);
    expect(pings[0]).toMatchObject({
      senderId: 'ponger',
      recipientId: 'pinger',
      type: 'pong',
      payload: 'pong',
    });
    expect(ponger.received).toHaveLength(1);
  });

  it('takes its type from the constructor and does nothing by default', async () => {
    const colleague = new FunctionColleague('worker', undefined, 'task');
    expect(colleague).toMatchObject({ id: 'worker', name: 'worker', type: 'task' });
    await expect(colleague.receive({} as Envelope)).resolves.toBeUndefined();
  });
});

describe('isReceiver', () => {
  it.each([
    [new FunctionColleague('a'), true],
    [{ receive: () => undefined }, true],
    [{ id: 'a' }, false],
    [{ receive: 'no' }, false],
    [null, false],
    [undefined, false],
  ])('%p → %p', (value, expected) => {
    expect(isReceiver(value)).toBe(expected);
  });
});
