import { Global, Module } from '@nestjs/common';
import { HttpAuditTrail } from './http-audit-trail';
import { AuditService } from './audit.service';

@Global()
@Module({
  providers: [AuditService, HttpAuditTrail],
  exports: [AuditService, HttpAuditTrail],
})
export class AuditModule {}
