import { Module } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { ReplyCache } from '@mediator/core';
import { CacheManagerReplyCache } from './cache-manager-reply.cache';
import { RequestOperations } from './request.operations';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

/** The command and query kinds: request/reply with one handler; queries cached (KINDS.md). */
@Module({
  controllers: [RequestsController],
  providers: [
    RequestsService,
    RequestOperations,
    {
      provide: ReplyCache,
      inject: [CACHE_MANAGER],
      useFactory: (cache: Cache) => new CacheManagerReplyCache(cache),
    },
  ],
  exports: [ReplyCache, RequestsService],
})
export class RequestsModule {}
