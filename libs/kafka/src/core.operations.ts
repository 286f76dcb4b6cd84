import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '@mediator/auth';
import { ColleagueResponseDto, ColleaguesService, type ColleagueView } from '@mediator/colleagues';
import { toPageRequest } from '@mediator/http';
import { CreateMediatorDto, MediatorResponseDto, MediatorsService } from '@mediator/mediators';
import {
  ColleagueRefDto,
  ListColleaguesCommandDto,
  ListMediatorsCommandDto,
  MediatorRefDto,
  RegisterColleagueCommandDto,
  UpdateColleagueCommandDto,
  UpdateMediatorCommandDto,
} from './kafka-command.dto';
import { KafkaOperation } from './kafka-operation.decorator';

const colleague = (v: ColleagueView) => ColleagueResponseDto.from(v.colleague, v.online);

/** Changing a colleague: a colleague-bound token changes only its own colleague. */
const COLLEAGUE_WRITE = {
  audited: true,
  scopes: ['colleagues:write'] as Scope[],
  colleague: (p: { id: string }) => p.id,
};

const MEDIATORS_READ = { audited: false, scopes: ['mediators:read'] as Scope[] };
const MEDIATORS_WRITE = { audited: true, scopes: ['mediators:write'] as Scope[] };

/** The mediators' operations: the REST routes of CONTRACT §3 over Kafka. */
@Injectable()
export class MediatorOperations {
  constructor(private readonly mediators: MediatorsService) {}

  @KafkaOperation('create_mediator', CreateMediatorDto, { ...MEDIATORS_WRITE, unbound: true })
  async create(p: CreateMediatorDto) {
    return MediatorResponseDto.from(await this.mediators.create(p));
  }

  @KafkaOperation('get_mediator', MediatorRefDto, MEDIATORS_READ)
  async get(p: MediatorRefDto) {
    return MediatorResponseDto.from(await this.mediators.get(p.mediator));
  }

  @KafkaOperation('list_mediators', ListMediatorsCommandDto, MEDIATORS_READ)
  async list(p: ListMediatorsCommandDto, principal: Principal) {
    const page = await this.mediators.list(toPageRequest(p), principal.boundMediator);
    return { items: page.items.map(MediatorResponseDto.from), next_cursor: page.nextCursor };
  }

  @KafkaOperation('update_mediator', UpdateMediatorCommandDto, MEDIATORS_WRITE)
  async update({ mediator, ...p }: UpdateMediatorCommandDto) {
    return MediatorResponseDto.from(await this.mediators.update(mediator, p));
  }

  @KafkaOperation('remove_mediator', MediatorRefDto, MEDIATORS_WRITE)
  async remove(p: MediatorRefDto) {
    await this.mediators.remove(p.mediator);
    return null;
  }
}

/** The colleagues' operations. */
@Injectable()
export class ColleagueOperations {
  constructor(private readonly colleagues: ColleaguesService) {}

  @KafkaOperation('register_colleague', RegisterColleagueCommandDto, COLLEAGUE_WRITE)
  async register({ mediator, ...p }: RegisterColleagueCommandDto) {
    return colleague(await this.colleagues.register(mediator, p));
  }

  @KafkaOperation('get_colleague', ColleagueRefDto, MEDIATORS_READ)
  async get(p: ColleagueRefDto) {
    return colleague(await this.colleagues.get(p.mediator, p.id));
  }

  @KafkaOperation('list_colleagues', ListColleaguesCommandDto, MEDIATORS_READ)
  async list(p: ListColleaguesCommandDto) {
    const page = await this.colleagues.list(p.mediator, toPageRequest(p), p.type);
    return { items: page.items.map(colleague), next_cursor: page.nextCursor };
  }

  @KafkaOperation('update_colleague', UpdateColleagueCommandDto, COLLEAGUE_WRITE)
  async update({ mediator, id, ...p }: UpdateColleagueCommandDto) {
    return colleague(await this.colleagues.update(mediator, id, p));
  }

  @KafkaOperation('unregister_colleague', ColleagueRefDto, COLLEAGUE_WRITE)
  async unregister(p: ColleagueRefDto) {
    await this.colleagues.unregister(p.mediator, p.id);
    return null;
  }
}
