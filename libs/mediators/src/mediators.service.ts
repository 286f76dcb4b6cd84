import { Injectable } from '@nestjs/common';
import { MediatorNotFoundError, type MediatorInfo } from '@mediator/core';
import {
  CachedColleagueRepository,
  ColleagueRepository,
  decodeCursor,
  MediatorRepository,
  type Page,
  type PageRequest,
} from '@mediator/persistence';
import { CoreMediatorProvider } from './core-mediator.provider';
import type { CreateMediatorDto, UpdateMediatorDto } from './mediator.dto';

@Injectable()
export class MediatorsService {
  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly repository: MediatorRepository,
    private readonly colleagues: ColleagueRepository,
  ) {}

  async create(dto: CreateMediatorDto): Promise<MediatorInfo> {
    const created = await this.core.registry.create({
      name: dto.name,
      description: dto.description,
      maxColleagues: dto.max_colleagues,
    });
    return created;
  }

  /** Every mediator, or only `only` (the one a bound token may see) when given. */
  async list(page: PageRequest, only?: string): Promise<Page<MediatorInfo>> {
    if (only === undefined) return this.repository.list(page);
    const onThisPage = !page.after || only > page.after;
    const found = onThisPage ? await this.repository.find(only) : undefined;
    return { items: found ? [found] : [], nextCursor: null };
  }

  /** From the cache: registrations invalidate the entry, so its colleague count is the live one. */
  async get(name: string): Promise<MediatorInfo> {
    const found = await this.repository.find(name);
    if (!found) throw new MediatorNotFoundError(name);
    return found;
  }

  async update(name: string, dto: UpdateMediatorDto): Promise<MediatorInfo> {
    await this.core.registry.update(name, {
      description: dto.description,
      maxColleagues: dto.max_colleagues,
    });
    return this.get(name);
  }

  /**
   * Deletes the mediator with all of its data (see MediatorRepository.remove), and drops its
   * colleagues from the look-up cache, so a mediator created again under the name does not see
   * them for the cache's ttl.
   */
  async remove(name: string): Promise<void> {
    const cached = this.colleagues instanceof CachedColleagueRepository ? this.colleagues : null;
    const colleagueIds = cached ? await this.colleagueIds(name) : [];
    await this.core.registry.remove(name);
    await cached?.forgetMediator(name, colleagueIds);
  }

  private async colleagueIds(mediator: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.colleagues.list(mediator, {
        limit: 500,
        after: decodeCursor(cursor ?? undefined),
      });
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids;
  }
}
