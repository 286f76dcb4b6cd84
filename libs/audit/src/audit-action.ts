/** The metadata key under which @Audited stores a route's audit action. */
export const AUDIT_ACTION = 'mediator:audit-action';
