import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { MediatorsController } from './mediators.controller';
import { MediatorsService } from './mediators.service';

/** The mediators' REST routes; the core mediator provider comes from CoreMediatorModule (global). */
@Module({
  imports: [OutboxModule],
  controllers: [MediatorsController],
  providers: [MediatorsService],
  exports: [MediatorsService],
})
export class MediatorsModule {}
