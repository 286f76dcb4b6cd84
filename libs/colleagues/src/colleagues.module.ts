import { Module } from '@nestjs/common';
import { MediatorsModule } from '@mediator/mediators';
import { RealtimeModule } from '@mediator/realtime';
import { ColleaguesController } from './colleagues.controller';
import { ColleaguesService } from './colleagues.service';

@Module({
  imports: [MediatorsModule, RealtimeModule],
  controllers: [ColleaguesController],
  providers: [ColleaguesService],
  exports: [ColleaguesService],
})
export class ColleaguesModule {}
