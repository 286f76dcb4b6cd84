import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditController],
  // AuditInterceptor is attached by @Audited to the routes it audits (see audit.decorator.ts).
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
