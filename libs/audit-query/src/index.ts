export { AuditQueryModule } from './audit-query.module';
