import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { AUDIT_ACTION } from './audit-action';
import { AuditInterceptor } from './audit.interceptor';

export { AUDIT_ACTION };

/**
 * Marks a state-changing route: its outcome (ok, denied, error) is audited under `action`.
 * The interceptor is attached here, to the audited routes only, rather than globally: a global
 * interceptor wraps every request (reads, health) in an RxJS pipeline that does nothing for them.
 */
export const Audited = (action: string) =>
  applyDecorators(SetMetadata(AUDIT_ACTION, action), UseInterceptors(AuditInterceptor));
