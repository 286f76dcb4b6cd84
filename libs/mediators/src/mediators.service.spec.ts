import type { TestingModule } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import { type MediatorInfo, MediatorNotFoundError } from '@mediator/core';
import { MediatorsService } from './mediators.service';
import {
  CachedColleagueRepository,
  ColleagueRepository,
  MediatorRepository,
  encodeCursor,
} from '@mediator/persistence';
import {
  compileService,
  fakeFacade,
  fakePorts,
  type Ports,
} from '../../../test/support/nest-fakes';

const info = (name: string) => ({ name, maxColleagues: 10 }) as MediatorInfo;

describe('MediatorsService', () => {
  let ports: Ports;
  let repository: ReturnType<typeof fakeFacade<'find' | 'list'>>;
  let colleagues: ReturnType<typeof fakeFacade<'list'>>;

  async function build(colleagueRepository: object = colleagues) {
    return compileService(MediatorsService, ports, [
      { provide: MediatorRepository, useValue: repository },
      { provide: ColleagueRepository, useValue: colleagueRepository },
    ]);
  }

  let service: MediatorsService;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    ports = fakePorts();
    repository = fakeFacade('find', 'list');
    repository.find.mockImplementation(async (name: string) => (name === 'm' ? info('m') : null));
    colleagues = fakeFacade('list');
    ({ service, moduleRef } = await build());
  });

  afterEach(() => moduleRef.close());

  it('creates through the core’s registry with the DTO in the core’s names', async () => {
    ports.core.registry.create.mockResolvedValue(info('m'));

    await expect(
      service.create({ name: 'm', description: 'd', max_colleagues: 10 }),
    ).resolves.toEqual(info('m'));
    expect(ports.core.registry.create).toHaveBeenCalledWith({
      name: 'm',
      description: 'd',
      maxColleagues: 10,
    });
  });

  it('answers MEDIATOR_NOT_FOUND for a name the repository does not know', async () => {
    await expect(service.get('nope')).rejects.toBeInstanceOf(MediatorNotFoundError);
  });

  it('updates through the registry and returns the mediator as stored afterwards', async () => {
    await expect(service.update('m', { max_colleagues: 20 })).resolves.toEqual(info('m'));

    expect(ports.core.registry.update).toHaveBeenCalledWith('m', {
      description: undefined,
      maxColleagues: 20,
    });
  });

  describe('list', () => {
    it('lists every mediator from the repository when the caller may see all', async () => {
      const page = { items: [info('a')], nextCursor: null };
      repository.list.mockResolvedValue(page);

      await expect(service.list({ limit: 10 })).resolves.toBe(page);
    });

    it('lists only the bound mediator, on the page its name falls on', async () => {
      await expect(service.list({ limit: 10 }, 'm')).resolves.toEqual({
        items: [info('m')],
        nextCursor: null,
      });
      await expect(service.list({ limit: 10, after: 'm' }, 'm')).resolves.toEqual({
        items: [],
        nextCursor: null,
      });
      await expect(service.list({ limit: 10 }, 'gone')).resolves.toEqual({
        items: [],
        nextCursor: null,
      });
      expect(repository.list).not.toHaveBeenCalled();
    });
  });

  describe('remove', () => {
    it('removes through the registry, listing no colleagues without a cache', async () => {
      await service.remove('m');

      expect(ports.core.registry.remove).toHaveBeenCalledWith('m');
      expect(colleagues.list).not.toHaveBeenCalled();
    });

    it('drops every colleague of the removed mediator from the look-up cache, page after page', async () => {
      const inner = fakeFacade('list');
      inner.list
        .mockResolvedValueOnce({
          items: [{ id: 'c1' }, { id: 'c2' }],
          nextCursor: encodeCursor('c2'),
        })
        .mockResolvedValueOnce({ items: [{ id: 'c3' }], nextCursor: null });
      const cache = { del: jest.fn() };
      const cached = new CachedColleagueRepository(
        inner as unknown as ColleagueRepository,
        cache as unknown as Cache,
        60_000,
      );
      await moduleRef.close();
      ({ service, moduleRef } = await build(cached));

      await service.remove('m');

      expect(inner.list.mock.calls.map(([mediator, page]) => [mediator, page])).toEqual([
        ['m', { limit: 500, after: undefined }],
        ['m', { limit: 500, after: 'c2' }],
      ]);
      expect(cache.del.mock.calls.map(([key]) => key)).toEqual([
        'colleague:m:c1',
        'colleague:m:c2',
        'colleague:m:c3',
      ]);
      // Listed before the removal, while the rows still exist.
      expect(inner.list.mock.invocationCallOrder[1]).toBeLessThan(
        ports.core.registry.remove.mock.invocationCallOrder[0],
      );
    });
  });
});
