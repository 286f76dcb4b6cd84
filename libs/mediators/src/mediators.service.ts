import { Injectable } from '@nestjs/common';
import { MediatorNotFoundError, type MediatorInfo } from '@mediator/core';
import { OutboxRelay } from '@mediator/events';
import { MediatorRepository, type Page, type PageRequest } from '@mediator/persistence';
import { CoreMediatorProvider } from './core-mediator.provider';
import type { CreateMediatorDto, UpdateMediatorDto } from './mediator.dto';

@Injectable()
export class MediatorsService {
  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly repository: MediatorRepository,
    private readonly relay: OutboxRelay,
  ) {}

  async create(dto: CreateMediatorDto): Promise<MediatorInfo> {
    const created = await this.core.registry.create({
      name: dto.name,
      description: dto.description,
      maxColleagues: dto.max_colleagues,
    });
    this.relay.nudge();
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
    this.relay.nudge();
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    await this.core.registry.remove(name);
    this.relay.nudge();
  }
}
