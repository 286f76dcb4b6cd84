import { Injectable } from '@nestjs/common';
import { type Envelope, RequestPort } from '@mediator/core';
import { ColleagueRepository } from '@mediator/persistence';
import { Presence } from './presence';
import { RealtimeHub } from './realtime.hub';
import { RequestReplies } from './request-replies';

/** `metadata.delivery` of a handler that is never connected and answers from its inbox over REST. */
export const POLL_DELIVERY = 'poll';

/**
 * The core's RequestPort in the service: a request (command, query, notification, workflow step,
 * task, …) is pushed as a `message` delivery to the handler's colleague room, and the handler
 * answers with the Socket.IO ack callback or with `POST messages/{message_id}/reply`; either
 * reaches the instance that waits (RequestReplies). The core has stored the request before.
 */
@Injectable()
export class HubRequestPort extends RequestPort {
  constructor(
    private readonly hub: RealtimeHub,
    private readonly presence: Presence,
    private readonly replies: RequestReplies,
    private readonly colleagues: ColleagueRepository,
  ) {
    super();
  }

  /**
   * The handlers connected now (on any instance). Only when none is, handlers that declare
   * `metadata.delivery: "poll"` take requests: they read them from their inbox and reply over REST.
   */
  async reachable(mediator: string, handlerIds: string[]): Promise<string[]> {
    const online = await this.presence.onlineAmong(mediator, handlerIds);
    if (online.size > 0) return handlerIds.filter((id) => online.has(id));
    const handlers = await Promise.all(handlerIds.map((id) => this.colleagues.find(mediator, id)));
    return handlers.filter((c) => c?.metadata?.delivery === POLL_DELIVERY).map((c) => c!.id);
  }

  async request(envelope: Envelope, handlerId: string): Promise<unknown> {
    const answer = this.replies.wait(envelope.id);
    // The push resolves once its delivered status is committed and it is emitted: a quick handler
    // may have answered (and failed the request) by then. The caller gets `answer` below.
    answer.catch(() => undefined);
    try {
      // A poll handler is not connected: its request stays `pending` in its inbox.
      if (await this.presence.isOnline(envelope.mediator, handlerId)) {
        await this.hub.push(envelope, handlerId);
      }
    } catch (error) {
      this.replies.forget(envelope.id);
      throw error;
    }
    return answer;
  }

  override cancel(envelope: Envelope): void {
    this.replies.forget(envelope.id);
  }
}
