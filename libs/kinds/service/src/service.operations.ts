import { Injectable } from '@nestjs/common';
import type { Scope } from '@mediator/auth';
import { toPageRequest } from '@mediator/http';
import { KafkaOperation } from '@mediator/kafka';
import { ServiceRegistryService } from './service-registry.service';
import {
  ListServicesCommandDto,
  RegisterServiceCommandDto,
  ServiceRefCommandDto,
  ServiceResponseDto,
} from './service.dto';

const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

/** `register_service`, `heartbeat` and `list_services`: REST's body plus `mediator` and `service`. */
@Injectable()
export class ServiceOperations {
  constructor(private readonly registry: ServiceRegistryService) {}

  @KafkaOperation('register_service', RegisterServiceCommandDto, {
    audited: true,
    scopes: ['mediators:write'],
  })
  async register({ mediator, service, ...p }: RegisterServiceCommandDto) {
    return ServiceResponseDto.from((await this.registry.register(mediator, service, p)).service);
  }

  @KafkaOperation('heartbeat', ServiceRefCommandDto, SENDS)
  async heartbeat(p: ServiceRefCommandDto) {
    return ServiceResponseDto.from(await this.registry.heartbeat(p.mediator, p.service));
  }

  @KafkaOperation('list_services', ListServicesCommandDto, READS)
  async list(p: ListServicesCommandDto) {
    const page = await this.registry.list(p.mediator, p.status, toPageRequest(p));
    return { items: page.items.map(ServiceResponseDto.from), next_cursor: page.nextCursor };
  }
}
