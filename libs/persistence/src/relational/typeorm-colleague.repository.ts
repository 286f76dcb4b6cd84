import { type DataSource, type FindOptionsWhere, MoreThan } from 'typeorm';
import {
  type ColleagueInfo,
  ColleagueExistsError,
  type LifecycleEvent,
  MaxColleaguesReachedError,
  MediatorNotFoundError,
} from '@mediator/core';
import { type Page, type PageRequest, toPage } from '../pagination';
import { ColleagueRepository } from '../ports';
import { isUniqueViolation } from '../sql-errors';
import { ColleagueEntity, MediatorEntity } from './entities';
import { toColleagueInfo, toColleagueRow } from './mappers';
import { insertOutbox } from './outbox';
import { transaction } from './transaction';

export class TypeOrmColleagueRepository extends ColleagueRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get colleagues() {
    return this.dataSource.getRepository(ColleagueEntity);
  }

  async find(mediator: string, id: string): Promise<ColleagueInfo | null> {
    const row = await this.colleagues.findOneBy({ mediator, id });
    return row ? toColleagueInfo(row) : null;
  }

  async listActive(mediator: string): Promise<ColleagueInfo[]> {
    return (
      await this.colleagues.find({ where: { mediator, active: true }, order: { id: 'ASC' } })
    ).map(toColleagueInfo);
  }

  async count(mediator: string): Promise<number> {
    return this.colleagues.countBy({ mediator });
  }

  async list(mediator: string, page: PageRequest, type?: string): Promise<Page<ColleagueInfo>> {
    const where: FindOptionsWhere<ColleagueEntity> = { mediator };
    if (type) where.type = type;
    if (page.after) where.id = MoreThan(page.after);
    const rows = await this.colleagues.find({ where, order: { id: 'ASC' }, take: page.limit + 1 });
    return toPage(rows.map(toColleagueInfo), page.limit, (c) => c.id);
  }

  async add(
    colleague: ColleagueInfo,
    event: LifecycleEvent,
    limit?: number,
  ): Promise<ColleagueInfo> {
    const { mediator, id } = colleague;
    try {
      await transaction(this.dataSource, async (manager) => {
        // The mediator row is the lock that serialises registrations of one mediator (MySQL);
        // SQLite transactions already take turns on its one connection.
        const locked = await manager.findOne(MediatorEntity, {
          where: { name: mediator },
          ...(this.dataSource.options.type === 'mysql'
            ? { lock: { mode: 'pessimistic_write' as const } }
            : {}),
        });
        if (!locked) throw new MediatorNotFoundError(mediator);
        if (await manager.existsBy(ColleagueEntity, { mediator, id })) {
          throw new ColleagueExistsError(mediator, id);
        }
        if (
          limit !== undefined &&
          (await manager.countBy(ColleagueEntity, { mediator })) >= limit
        ) {
          throw new MaxColleaguesReachedError(mediator, limit);
        }
        await manager.insert(ColleagueEntity, toColleagueRow(colleague));
        await insertOutbox(manager, event);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ColleagueExistsError(mediator, id);
      throw error;
    }
    return colleague;
  }

  async update(colleague: ColleagueInfo, event: LifecycleEvent): Promise<ColleagueInfo> {
    await transaction(this.dataSource, async (manager) => {
      const { mediator, id, ...changes } = toColleagueRow(colleague);
      await manager.update(ColleagueEntity, { mediator, id }, changes);
      await insertOutbox(manager, event);
    });
    return colleague;
  }

  async remove(mediator: string, id: string, event: LifecycleEvent): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const result = await manager.delete(ColleagueEntity, { mediator, id });
      if (!result.affected) return false;
      await insertOutbox(manager, event);
      return true;
    });
  }
}
