import { Module } from '@nestjs/common';
import { OutboxModule } from '@mediator/outbox';
import { RealtimeModule } from '@mediator/realtime';
import { CoreMediatorProvider } from './core-mediator.provider';
import { KindPlugins } from './kind-plugins';
import { MediatorsController } from './mediators.controller';
import { MediatorsService } from './mediators.service';

@Module({
  imports: [RealtimeModule, OutboxModule],
  controllers: [MediatorsController],
  providers: [CoreMediatorProvider, MediatorsService, KindPlugins],
  exports: [CoreMediatorProvider, MediatorsService, KindPlugins],
})
export class MediatorsModule {}
