export { AuditModule } from './audit.module';
export { AuditService, type AuditedCall, outcomeOf } from './audit.service';
export { Audited, AUDIT_ACTION } from './audit.decorator';
export {
  auditRequestAs,
  type AuditedRequest,
  httpAuditedCall,
  HttpAuditTrail,
} from './http-audit-trail';
