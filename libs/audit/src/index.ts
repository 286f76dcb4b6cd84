export { AuditModule } from './audit.module';
export { AuditService, type AuditRecord } from './audit.service';
export { Audited, AUDIT_ACTION } from './audit.decorator';
export { auditContext, outcomeOf } from './audit.interceptor';
