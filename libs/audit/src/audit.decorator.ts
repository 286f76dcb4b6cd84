import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'mediator:audit-action';

/** Marks a state-changing route: its outcome (ok, denied, error) is audited under `action`. */
export const Audited = (action: string) => SetMetadata(AUDIT_ACTION, action);
