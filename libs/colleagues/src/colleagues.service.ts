import { Injectable } from '@nestjs/common';
import {
  type ColleagueInfo,
  ColleagueNotFoundError,
  type JsonValue,
  toEventData,
} from '@mediator/core';
import { CoreMediatorProvider } from '@mediator/mediators';
import { ColleagueRepository, type Page, type PageRequest } from '@mediator/persistence';
import { RealtimeHub } from '@mediator/realtime';
import type { RegisterColleagueDto, UpdateColleagueDto } from './colleague.dto';

export interface ColleagueView {
  colleague: ColleagueInfo;
  online: boolean;
}

@Injectable()
export class ColleaguesService {
  constructor(
    private readonly core: CoreMediatorProvider,
    private readonly colleagues: ColleagueRepository,
    private readonly hub: RealtimeHub,
  ) {}

  async register(mediatorName: string, dto: RegisterColleagueDto): Promise<ColleagueView> {
    const mediator = await this.core.mediator(mediatorName);
    const colleague = await mediator.registerColleague({
      id: dto.id,
      name: dto.name,
      type: dto.type,
      handles: dto.handles,
      subscriptions: dto.subscriptions,
      metadata: dto.metadata as Record<string, JsonValue> | undefined,
    });
    return this.view(colleague);
  }

  async list(mediatorName: string, page: PageRequest, type?: string): Promise<Page<ColleagueView>> {
    await this.core.mediator(mediatorName);
    const found = await this.colleagues.list(mediatorName, page, type);
    const online = await this.hub.onlineAmong(
      mediatorName,
      found.items.map((c) => c.id),
    );
    return {
      items: found.items.map((colleague) => ({ colleague, online: online.has(colleague.id) })),
      nextCursor: found.nextCursor,
    };
  }

  async get(mediatorName: string, id: string): Promise<ColleagueView> {
    const mediator = await this.core.mediator(mediatorName);
    return this.view(await mediator.getColleague(id));
  }

  async update(mediatorName: string, id: string, dto: UpdateColleagueDto): Promise<ColleagueView> {
    const mediator = await this.core.mediator(mediatorName);
    const current = await mediator.getColleague(id);
    const next: ColleagueInfo = {
      ...current,
      name: dto.name ?? current.name,
      active: dto.active ?? current.active,
      handles: dto.handles ?? current.handles,
      subscriptions: dto.subscriptions ?? current.subscriptions,
      metadata: (dto.metadata as ColleagueInfo['metadata'] | undefined) ?? current.metadata,
    };
    await this.colleagues.update(next, mediator.event('colleague_updated', toEventData(next)));
    return this.view(next);
  }

  async unregister(mediatorName: string, id: string): Promise<void> {
    const mediator = await this.core.mediator(mediatorName);
    await mediator.unregisterColleague(id);
  }

  /** The colleague, or COLLEAGUE_NOT_FOUND (for other modules: inbox, acks). */
  async require(mediatorName: string, id: string): Promise<ColleagueInfo> {
    const found = await this.colleagues.find(mediatorName, id);
    if (!found) throw new ColleagueNotFoundError(mediatorName, id);
    return found;
  }

  /** The colleague with its presence on any instance. */
  private async view(colleague: ColleagueInfo): Promise<ColleagueView> {
    return { colleague, online: await this.hub.isOnline(colleague.mediator, colleague.id) };
  }
}
