import { MediatorError } from './errors';
import { MediatorRegistry } from './mediator-registry';
import { EventFanOut, InMemoryMediatorStore } from './memory-adapters';
import type { LifecycleEvent } from './ports';

async function rejectionOf(promise: Promise<unknown>): Promise<MediatorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MediatorError);
    return error as MediatorError;
  }
  throw new Error('expected the promise to reject');
}

/** A registry with a controllable clock and a record of its lifecycle events. */
function setup(config: { maxMediators?: number; maxColleagues?: number } = {}) {
  let now = new Date('2024-05-01T00:00:00.000Z');
  let n = 0;
  const fanOut = new EventFanOut();
  const events: LifecycleEvent[] = [];
  fanOut.on((e) => events.push(e));
  const registry = new MediatorRegistry(
    config,
    new InMemoryMediatorStore(fanOut),
    { now: () => now },
    { next: () => `evt-${++n}` },
  );
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  return { registry, events, advance, now: () => now };
}

describe('MediatorRegistry', () => {
  describe('create', () => {
    it('creates a mediator with defaults from the config', async () => {
      const { registry, now } = setup({ maxColleagues: 7 });

      const info = await registry.create({ name: 'orders' });

      expect(info).toEqual({
        name: 'orders',
        description: '',
        maxColleagues: 7,
        colleagueCount: 0,
        createdAt: now(),
        updatedAt: now(),
      });
      await expect(registry.get('orders')).resolves.toEqual(info);
    });

    it('uses the default config when none is given', async () => {
      const registry = new MediatorRegistry();
      expect(registry.config).toEqual({ maxMediators: 100, maxColleagues: 1000, timeout: 30_000 });
      await expect(registry.create({ name: 'x' })).resolves.toMatchObject({ maxColleagues: 1000 });
    });

    it('keeps the given description and colleague limit', async () => {
      const { registry } = setup();
      await expect(
        registry.create({ name: 'billing', description: 'invoices', maxColleagues: 3 }),
      ).resolves.toMatchObject({ description: 'invoices', maxColleagues: 3 });
    });

    it.each(['a', 'Z', '0', 'orders.v2_eu-1', 'a'.repeat(64), 'A-._'])(
      'accepts the name %s',
      async (name) => {
        await expect(setup().registry.create({ name })).resolves.toMatchObject({ name });
      },
    );

    it.each([
      ['empty', ''],
      ['starting with a dot', '.a'],
      ['starting with a dash', '-a'],
      ['starting with an underscore', '_a'],
      ['with a space', 'a b'],
      ['with a slash', 'a/b'],
      ['with a colon', 'a:b'],
      ['non-ASCII', 'café'],
      ['65 characters long', 'a'.repeat(65)],
      ['with a trailing newline', 'a\n'],
      ['not a string', undefined],
    ])('rejects a name %s with VALIDATION_FAILED on field name', async (_label, name) => {
      const { registry, events } = setup();

      const error = await rejectionOf(registry.create({ name } as unknown as { name: string }));

      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { field: 'name', problem: expect.stringContaining('must match') },
      ]);
      expect(events).toEqual([]);
    });

    it.each([0, -1, 1.5, Number.NaN])('rejects maxColleagues %p', async (maxColleagues) => {
      const error = await rejectionOf(setup().registry.create({ name: 'a', maxColleagues }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { field: 'max_colleagues', problem: 'must be a positive integer' },
      ]);
    });

    it('refuses a duplicate name with MEDIATOR_EXISTS and keeps the first', async () => {
      const { registry } = setup();
      await registry.create({ name: 'orders', description: 'first' });

      const error = await rejectionOf(registry.create({ name: 'orders', description: 'second' }));

      expect(error.code).toBe('MEDIATOR_EXISTS');
      expect(error.category).toBe('conflict');
      expect((await registry.get('orders')).description).toBe('first');
    });

    it('refuses more than maxMediators with MAX_MEDIATORS_REACHED, and has room again after a removal', async () => {
      const { registry } = setup({ maxMediators: 2 });
      await registry.create({ name: 'a' });
      await registry.create({ name: 'b' });

      const error = await rejectionOf(registry.create({ name: 'c' }));

      expect(error.code).toBe('MAX_MEDIATORS_REACHED');
      expect(error.category).toBe('unprocessable');
      expect(error.message).toContain('2');
      await expect(registry.get('c')).rejects.toMatchObject({ code: 'MEDIATOR_NOT_FOUND' });

      await registry.remove('a');
      await expect(registry.create({ name: 'c' })).resolves.toMatchObject({ name: 'c' });
    });
  });

  describe('get', () => {
    it('fails with MEDIATOR_NOT_FOUND naming the mediator', async () => {
      const error = await rejectionOf(setup().registry.get('nope'));
      expect(error.code).toBe('MEDIATOR_NOT_FOUND');
      expect(error.category).toBe('not_found');
      expect(error.message).toBe("mediator 'nope' does not exist");
    });
  });

  describe('update', () => {
    it('changes only the given fields and moves updatedAt', async () => {
      const { registry, advance } = setup();
      const created = await registry.create({
        name: 'orders',
        description: 'old',
        maxColleagues: 5,
      });
      advance(1000);

      const described = await registry.update('orders', { description: 'new' });
      expect(described).toMatchObject({ description: 'new', maxColleagues: 5 });

      advance(1000);
      const limited = await registry.update('orders', { maxColleagues: 9 });

      expect(limited).toMatchObject({ name: 'orders', description: 'new', maxColleagues: 9 });
      expect(limited.createdAt).toEqual(created.createdAt);
      expect(limited.updatedAt.getTime() - created.createdAt.getTime()).toBe(2000);
      await expect(registry.get('orders')).resolves.toEqual(limited);
    });

    it('fails with MEDIATOR_NOT_FOUND for an unknown mediator', async () => {
      await expect(setup().registry.update('nope', { description: 'x' })).rejects.toMatchObject({
        code: 'MEDIATOR_NOT_FOUND',
      });
    });

    it('rejects an invalid maxColleagues and keeps the old one', async () => {
      const { registry } = setup();
      await registry.create({ name: 'orders', maxColleagues: 5 });

      await expect(registry.update('orders', { maxColleagues: 0 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      expect((await registry.get('orders')).maxColleagues).toBe(5);
    });
  });

  describe('remove', () => {
    it('removes the mediator', async () => {
      const { registry } = setup();
      await registry.create({ name: 'orders' });
      await registry.remove('orders');
      await expect(registry.get('orders')).rejects.toMatchObject({ code: 'MEDIATOR_NOT_FOUND' });
    });

    it('fails with MEDIATOR_NOT_FOUND for an unknown mediator', async () => {
      await expect(setup().registry.remove('nope')).rejects.toMatchObject({
        code: 'MEDIATOR_NOT_FOUND',
      });
    });
  });

  it('emits mediator_created, mediator_updated and mediator_deleted with snake_case data', async () => {
    const { registry, events, now } = setup();

    await registry.create({ name: 'orders', description: 'd', maxColleagues: 4 });
    await registry.update('orders', { maxColleagues: 8 });
    await registry.remove('orders');
    await expect(registry.remove('orders')).rejects.toThrow();

    expect(events).toEqual([
      {
        id: 'evt-1',
        event: 'mediator_created',
        mediator: 'orders',
        data: { name: 'orders', description: 'd', max_colleagues: 4 },
        timestamp: now(),
      },
      {
        id: 'evt-2',
        event: 'mediator_updated',
        mediator: 'orders',
        data: { name: 'orders', description: 'd', max_colleagues: 8 },
        timestamp: now(),
      },
      expect.objectContaining({
        event: 'mediator_deleted',
        mediator: 'orders',
        data: { name: 'orders' },
      }),
    ]);
  });
});
