import { type DataSource, MoreThan } from 'typeorm';
import { type LifecycleEvent, MediatorExistsError, type MediatorInfo } from '@mediator/core';
import { type Page, type PageRequest, toPage } from '../pagination';
import { MediatorRepository } from '../ports';
import { isUniqueViolation } from '../sql-errors';
import { ColleagueEntity, MediatorEntity } from './entities';
import { toMediatorInfo, toMediatorRow } from './mappers';
import { deleteMediatorData } from './mediator-data';
import { insertOutbox } from './outbox';
import { transaction } from './transaction';

/** Messages kept outside the SQL database (MongoDB), deleted with their mediator. */
export interface ExternalMessages {
  removeMediator(mediator: string): Promise<void>;
  /** The purge after the deletion failed: logged; the next create of the name purges again. */
  lateRemovalFailed(mediator: string, error: unknown): void;
}

export class TypeOrmMediatorRepository extends MediatorRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly externalMessages?: ExternalMessages,
  ) {
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
    // Leftovers of an earlier mediator of this name in MongoDB (a purge that failed on delete),
    // never those of a live one: the name is checked first.
    if (this.externalMessages && !(await this.mediators.existsBy({ name: mediator.name })))
      await this.externalMessages.removeMediator(mediator.name);
    try {
      await transaction(this.dataSource, async (manager) => {
        await manager.insert(MediatorEntity, toMediatorRow(mediator));
        // A write of an earlier mediator of this name that was still in flight when it was
        // deleted may have landed after the deletion: the new one starts empty all the same.
        // After the insert, so a name that exists (unique violation) rolls back untouched.
        await deleteMediatorData(manager, mediator.name);
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

  /**
   * The mediator and all of its data, in one transaction; its unrelayed events stay (and
   * `mediator_deleted` joins them). Messages kept in MongoDB are deleted before that transaction
   * (a failure there leaves the mediator in place: the caller retries) and once more after it,
   * for a send that passed its mediator check before the deletion and was written meanwhile.
   */
  async remove(name: string, event: LifecycleEvent): Promise<boolean> {
    await this.externalMessages?.removeMediator(name);
    const removed = await transaction(this.dataSource, async (manager) => {
      const result = await manager.delete(MediatorEntity, { name });
      if (!result.affected) return false;
      await deleteMediatorData(manager, name);
      await insertOutbox(manager, event);
      return true;
    });
    if (removed) await this.removeLateMessages(name);
    return removed;
  }

  private async removeLateMessages(name: string): Promise<void> {
    const external = this.externalMessages;
    if (!external) return;
    // The mediator is gone either way: a failure here is reported, not thrown.
    await external.removeMediator(name).catch((error: unknown) => {
      external.lateRemovalFailed(name, error);
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
