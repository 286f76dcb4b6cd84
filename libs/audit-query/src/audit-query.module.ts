import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/**
 * Reading the audit log (GET /api/v1/audit). Apart from @mediator/audit, which writes it: the
 * auth guards write denials through AuditService, and this route is guarded by them, so one
 * library holding both would depend on auth and auth on it.
 */
@Module({ controllers: [AuditController] })
export class AuditQueryModule {}
