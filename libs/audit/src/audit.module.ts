import { Global, Module } from '@nestjs/common';
import { HttpAuditTrail } from './audit.interceptor';
import { AuditService } from './audit.service';

@Global()
@Module({
  providers: [AuditService, HttpAuditTrail],
  exports: [AuditService, HttpAuditTrail],
})
export class AuditModule {}
