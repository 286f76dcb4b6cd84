import { type DataSource, MoreThan } from 'typeorm';
import { type LifecycleEvent, MediatorExistsError, type MediatorInfo } from '@mediator/core';
import { type Page, type PageRequest, toPage } from '../pagination';
import { MediatorRepository } from '../ports';
import { isUniqueViolation } from '../sql-errors';
import { ColleagueEntity, MediatorEntity } from './entities';
import { toMediatorInfo, toMediatorRow } from './mappers';
import { insertOutbox } from './outbox';
import { transaction } from './transaction';

export class TypeOrmMediatorRepository extends MediatorRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private get mediators() {
    return this.dataSource.getRepository(MediatorEntity);
  }

  async count(): Promise<number> {
    return this.mediators.count();
  }

  async find(name: string): Promise<MediatorInfo | null> {
    const row = await this.mediators.findOneBy({ name });
    if (!row) return null;
    const colleagues = await this.dataSource
      .getRepository(ColleagueEntity)
      .countBy({ mediator: name });
    return toMediatorInfo(row, colleagues);
  }

  async list(page: PageRequest): Promise<Page<MediatorInfo>> {
    const rows = await this.mediators.find({
      where: page.after ? { name: MoreThan(page.after) } : {},
      order: { name: 'ASC' },
      take: page.limit + 1,
    });
    const counts = await this.colleagueCounts(rows.map((r) => r.name));
    return toPage(
      rows.map((row) => toMediatorInfo(row, counts.get(row.name) ?? 0)),
      page.limit,
      (m) => m.name,
    );
  }

  async create(mediator: MediatorInfo, event: LifecycleEvent): Promise<MediatorInfo> {
    try {
      await transaction(this.dataSource, async (manager) => {
        await manager.insert(MediatorEntity, toMediatorRow(mediator));
        await insertOutbox(manager, event);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new MediatorExistsError(mediator.name);
      throw error;
    }
    return mediator;
  }

  async update(mediator: MediatorInfo, event: LifecycleEvent): Promise<MediatorInfo> {
    await transaction(this.dataSource, async (manager) => {
      await manager.update(
        MediatorEntity,
        { name: mediator.name },
        {
          description: mediator.description,
          maxColleagues: mediator.maxColleagues,
          updatedAt: mediator.updatedAt,
        },
      );
      await insertOutbox(manager, event);
    });
    return mediator;
  }

  async remove(name: string, event: LifecycleEvent): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      await manager.delete(ColleagueEntity, { mediator: name });
      const result = await manager.delete(MediatorEntity, { name });
      if (!result.affected) return false;
      await insertOutbox(manager, event);
      return true;
    });
  }

  private async colleagueCounts(names: string[]): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(ColleagueEntity)
      .createQueryBuilder('c')
      .select('c.mediator', 'mediator')
      .addSelect('COUNT(*)', 'count')
      .where('c.mediator IN (:...names)', { names })
      .groupBy('c.mediator')
      .getRawMany<{ mediator: string; count: string | number }>();
    return new Map(rows.map((r) => [r.mediator, Number(r.count)]));
  }
}
