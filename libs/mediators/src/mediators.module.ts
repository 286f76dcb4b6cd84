import { Module } from '@nestjs/common';
import { EventsModule } from '@mediator/events';
import { RealtimeModule } from '@mediator/realtime';
import { CoreMediatorProvider } from './core-mediator.provider';
import { KindPlugins } from './kind-plugins';
import { MediatorsController } from './mediators.controller';
import { MediatorsService } from './mediators.service';

@Module({
  imports: [RealtimeModule, EventsModule],
  controllers: [MediatorsController],
  providers: [CoreMediatorProvider, MediatorsService, KindPlugins],
  exports: [CoreMediatorProvider, MediatorsService, KindPlugins],
})
export class MediatorsModule {}
