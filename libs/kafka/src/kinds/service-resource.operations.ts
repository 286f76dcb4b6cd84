import { toPageRequest } from '@mediator/http';
import { type ResourcesService } from '@mediator/resources';
import {
  AcquireLeaseCommandDto,
  LeaseResponseDto,
  ListResourcesCommandDto,
  ReleaseLeaseCommandDto,
  ResourceResponseDto,
} from '@mediator/resources/resource.dto';
import { type ServiceRegistryService } from '@mediator/service-registry';
import {
  ListServicesCommandDto,
  RegisterServiceCommandDto,
  ServiceRefCommandDto,
  ServiceResponseDto,
} from '@mediator/service-registry/service.dto';
import type { Scope } from '@mediator/auth';
import { type Operation, operation } from '../operation';

const SENDS = { audited: true, scopes: ['messages:send'] as Scope[] };
const READS = { audited: false, scopes: ['messages:read'] as Scope[] };

/**
 * `register_service`, `heartbeat`, `list_services`, `list_resources`, `acquire_resource` and
 * `release_resource`:
 * the REST body plus `mediator` and the path ids; results are the REST wire objects (`null` for a
 * release, which REST answers 204).
 */
export function serviceAndResourceOperations(
  registry: ServiceRegistryService,
  resources: ResourcesService,
): [string, Operation][] {
  return [
    [
      'register_service',
      operation(
        RegisterServiceCommandDto,
        { audited: true, scopes: ['mediators:write'] },
        async ({ mediator, service, ...p }) =>
          ServiceResponseDto.from((await registry.register(mediator, service, p)).service),
      ),
    ],
    [
      'heartbeat',
      operation(ServiceRefCommandDto, SENDS, async (p) =>
        ServiceResponseDto.from(await registry.heartbeat(p.mediator, p.service)),
      ),
    ],
    [
      'list_services',
      operation(ListServicesCommandDto, READS, async (p) => {
        const page = await registry.list(p.mediator, p.status, toPageRequest(p));
        return { items: page.items.map(ServiceResponseDto.from), next_cursor: page.nextCursor };
      }),
    ],
    [
      'list_resources',
      operation(ListResourcesCommandDto, READS, async (p) => {
        const page = await resources.list(p.mediator, toPageRequest(p));
        return {
          items: page.items.map(({ pool, leases }) => ResourceResponseDto.from(pool, leases)),
          next_cursor: page.nextCursor,
        };
      }),
    ],
    [
      'acquire_resource',
      operation(
        AcquireLeaseCommandDto,
        { ...SENDS, colleague: (p) => p.holder_id },
        async ({ mediator, resource, ...p }) =>
          LeaseResponseDto.from(await resources.acquire(mediator, resource, p)),
      ),
    ],
    [
      'release_resource',
      operation(ReleaseLeaseCommandDto, SENDS, async (p, principal) => {
        // As REST: a colleague-bound token releases only its own leases.
        const lease = await resources.lease(p.mediator, p.resource, p.lease_id);
        principal.requireColleague(p.mediator, lease.holderId);
        await resources.release(p.mediator, p.resource, p.lease_id);
        return null;
      }),
    ],
  ];
}
