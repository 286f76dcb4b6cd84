import { ReplyCache } from '@mediator/core';
import type { KindLibrary } from '@mediator/mediators';
import { RequestsModule } from './requests.module';

/**
 * The request kinds — command and query — as the app's KINDS list registers them: both share one
 * request/reply mechanism (one handler of the type answers; a query's reply is cached), so they
 * share this one library. No SQL tables: replies are cached on cache-manager.
 */
export const requestKind: KindLibrary = {
  module: RequestsModule,
  stores: { replyCache: ReplyCache },
};
