import { Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { RealtimeModule } from '@mediator/realtime';
import { CoreMediatorProvider } from './core-mediator.provider';
import { MediatorsController } from './mediators.controller';
import { MediatorsService } from './mediators.service';

@Module({
  imports: [RealtimeModule, EventsModule],
  controllers: [MediatorsController],
  providers: [CoreMediatorProvider, MediatorsService],
  exports: [CoreMediatorProvider, MediatorsService],
})
export class MediatorsModule {}
