import { type KindStores, STORE_KINDS } from '@mediator/core';
import { type KindLibrary, kindBindingsProvider, requireEveryStore } from './kind-library';

class EventsModule {}
class TasksModule {}

const everyStore = (): Partial<KindStores> =>
  Object.fromEntries(Object.keys(STORE_KINDS).map((port) => [port, { port }]));

describe('kind bindings', () => {
  it('refuses to start without a store for a kind, naming the kind', () => {
    const stores = everyStore();
    delete stores.tasks;
    expect(() => requireEveryStore(stores)).toThrow(
      "no store for the task kind (the core's 'tasks' port)",
    );
    expect(() => requireEveryStore(everyStore())).not.toThrow();
  });

  it('injects each bound store and option and assembles them by port', () => {
    const others = Object.keys(STORE_KINDS).filter((port) => port !== 'eventLog');
    const kinds: KindLibrary[] = [
      { module: EventsModule, stores: { eventLog: 'event-store' } },
      {
        module: TasksModule,
        stores: Object.fromEntries(others.map((port) => [port, `${port}-token`])),
        options: { tasks: 'task-options' },
      },
    ];
    const provider = kindBindingsProvider(kinds);
    expect(provider.inject).toEqual([
      'event-store',
      ...others.map((port) => `${port}-token`),
      'task-options',
    ]);
    const values = provider.inject.map((token) => ({ token }));
    const bindings = provider.useFactory(...values);
    expect(bindings.stores.eventLog).toEqual({ token: 'event-store' });
    expect(bindings.stores.jobs).toEqual({ token: 'jobs-token' });
    expect(bindings.options).toEqual({ tasks: { token: 'task-options' } });
  });

  it('fails at boot when a kind library is missing from the list', () => {
    const provider = kindBindingsProvider([
      { module: EventsModule, stores: { eventLog: 'event-store' } },
    ]);
    expect(() => provider.useFactory({})).toThrow(
      "no store for the query kind (the core's 'replyCache' port)",
    );
  });
});
