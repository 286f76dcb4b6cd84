import { SetMetadata } from '@nestjs/common';
import { AUDIT_ACTION } from './audit-action';

export { AUDIT_ACTION };

/**
 * Marks a state-changing route: its outcome (ok, denied, error) is audited under `action` by the
 * HTTP audit trail (http-audit-trail.ts), which the auth guard points at the route's action.
 */
export const Audited = (action: string) => SetMetadata(AUDIT_ACTION, action);
