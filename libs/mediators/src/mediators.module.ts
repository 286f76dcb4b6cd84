import { Module } from '@nestjs/common';
import { MediatorsController } from './mediators.controller';
import { MediatorsService } from './mediators.service';

/** The mediators' REST routes; the core mediator provider comes from CoreMediatorModule (global). */
@Module({
  controllers: [MediatorsController],
  providers: [MediatorsService],
  exports: [MediatorsService],
})
export class MediatorsModule {}
