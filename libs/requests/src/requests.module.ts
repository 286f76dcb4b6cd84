import { Module, type OnModuleInit } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { OutboxModule } from '@mediator/outbox';
import { KindPlugins, MediatorsModule } from '@mediator/mediators';
import { CacheManagerReplyCache } from './cache-manager-reply.cache';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

/** The command and query kinds: request/reply with one handler; queries cached (KINDS.md). */
@Module({
  imports: [MediatorsModule, OutboxModule],
  controllers: [RequestsController],
  providers: [
    RequestsService,
    {
      provide: CacheManagerReplyCache,
      inject: [CACHE_MANAGER],
      useFactory: (cache: Cache) => new CacheManagerReplyCache(cache),
    },
  ],
  exports: [RequestsService],
})
export class RequestsModule implements OnModuleInit {
  constructor(
    private readonly plugins: KindPlugins,
    private readonly replyCache: CacheManagerReplyCache,
  ) {}

  onModuleInit(): void {
    this.plugins.registerStore('replyCache', this.replyCache);
  }
}
