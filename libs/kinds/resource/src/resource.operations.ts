import { Injectable } from '@nestjs/common';
import type { Principal, Scope } from '@mediator/auth';
import { toPageRequest } from '@mediator/http';
import { KafkaOperation } from '@mediator/kafka';
import {
  AcquireLeaseCommandDto,
  LeaseResponseDto,
  ListResourcesCommandDto,
  ReleaseLeaseCommandDto,
  ResourceResponseDto,
} from './resource.dto';
import { ResourcesService } from './resources.service';

const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

/**
 * `list_resources`, `acquire_resource` and `release_resource`: REST's body plus `mediator` and
 * the path ids; a release answers `null` (REST's 204).
 */
@Injectable()
export class ResourceOperations {
  constructor(private readonly resources: ResourcesService) {}

  @KafkaOperation('list_resources', ListResourcesCommandDto, READS)
  async list(p: ListResourcesCommandDto) {
    const page = await this.resources.list(p.mediator, toPageRequest(p));
    return {
      items: page.items.map(({ pool, leases }) => ResourceResponseDto.from(pool, leases)),
      next_cursor: page.nextCursor,
    };
  }

  @KafkaOperation('acquire_resource', AcquireLeaseCommandDto, {
    ...SENDS,
    colleague: (p) => p.holder_id,
  })
  async acquire({ mediator, resource, ...p }: AcquireLeaseCommandDto) {
    return LeaseResponseDto.from(await this.resources.acquire(mediator, resource, p));
  }

  @KafkaOperation('release_resource', ReleaseLeaseCommandDto, SENDS)
  async release(p: ReleaseLeaseCommandDto, principal: Principal) {
    // As REST: a colleague-bound token releases only its own leases.
    const lease = await this.resources.lease(p.mediator, p.resource, p.lease_id);
    principal.requireColleague(p.mediator, lease.holderId);
    await this.resources.release(p.mediator, p.resource, p.lease_id);
    return null;
  }
}
