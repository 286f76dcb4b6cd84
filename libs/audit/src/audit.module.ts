import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

@Global()
@Module({
  // AuditInterceptor is attached by @Audited to the routes it audits (see audit.decorator.ts).
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
