import type { TestingModule } from '@nestjs/testing';
import {
  type Envelope,
  InvalidStateError,
  MessageNotFoundError,
  ValidationError,
} from '@mediator/core';
import { MessagingService } from './messaging.service';
import { MessageRepository, type StoredMessage } from '@mediator/persistence';
import { RealtimeHub, RequestReplies } from '@mediator/realtime';
import {
  compileService,
  fakeFacade,
  fakePorts,
  type Ports,
  useFakeClock,
} from '../../../../test/support/nest-fakes';

const envelope = {
  id: 'msg1',
  kind: 'message',
  recipientId: 'c2',
  correlationId: null,
} as Envelope;
const request = { ...envelope, kind: 'command', correlationId: 'msg1' } as Envelope;
const stored = (e: Envelope, recipientIds = ['c2']) =>
  ({
    envelope: e,
    recipients: recipientIds.map((recipientId) => ({ recipientId })),
  }) as StoredMessage;

describe('MessagingService', () => {
  let ports: Ports;
  let mediator: ReturnType<typeof fakeFacade<'sendMessage' | 'broadcastMessage' | 'getColleague'>>;
  let messages: ReturnType<
    typeof fakeFacade<
      'findById' | 'ack' | 'inbox' | 'resetDeliveries' | 'unacked' | 'deliveryCounts'
    >
  >;
  let hub: ReturnType<typeof fakeFacade<'onlineAmong' | 'push'>>;
  let replies: ReturnType<typeof fakeFacade<'answer'>>;
  let service: MessagingService;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts();
    mediator = fakeFacade('sendMessage', 'broadcastMessage', 'getColleague');
    mediator.sendMessage.mockResolvedValue(envelope);
    ports.core.knows('m', mediator);
    messages = fakeFacade(
      'findById',
      'ack',
      'inbox',
      'resetDeliveries',
      'unacked',
      'deliveryCounts',
    );
    messages.findById.mockResolvedValue(stored(envelope));
    messages.ack.mockResolvedValue(true);
    hub = fakeFacade('onlineAmong', 'push');
    replies = fakeFacade('answer');
    ({ service, moduleRef } = await compileService(MessagingService, ports, [
      { provide: MessageRepository, useValue: messages },
      { provide: RealtimeHub, useValue: hub },
      { provide: RequestReplies, useValue: replies },
    ]));
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
  });

  describe('send', () => {
    it('sends through the core with the options in the core’s names, counts it', async () => {
      await expect(
        service.send('m', {
          senderId: 'c1',
          recipientId: 'c2',
          message: { hi: 1 },
          type: 'greeting',
          headers: { trace: 'abc' },
          idempotencyKey: 'k1',
        }),
      ).resolves.toBe(envelope);

      expect(mediator.sendMessage).toHaveBeenCalledWith(
        'c1',
        'c2',
        { hi: 1 },
        {
          kind: undefined,
          type: 'greeting',
          headers: { trace: 'abc' },
          idempotencyKey: 'k1',
        },
      );
      expect(ports.metrics.messageSent).toHaveBeenCalledWith('message', 'ok');
    });

    it('refuses headers that are not strings, naming each, and counts the error', async () => {
      const refused = service.send('m', {
        senderId: 'c1',
        recipientId: 'c2',
        message: null,
        headers: { ok: 'yes', retries: 3, nested: {} },
      });

      await expect(refused).rejects.toBeInstanceOf(ValidationError);
      await expect(refused).rejects.toMatchObject({
        details: [
          { field: 'headers.retries', problem: 'must be a string' },
          { field: 'headers.nested', problem: 'must be a string' },
        ],
      });
      expect(mediator.sendMessage).not.toHaveBeenCalled();
      expect(ports.metrics.messageSent).toHaveBeenCalledWith('message', 'error');
    });
  });

  it('answers MESSAGE_NOT_FOUND for a message id the mediator does not hold', async () => {
    messages.findById.mockResolvedValueOnce(null);

    await expect(service.get('m', 'missing')).rejects.toBeInstanceOf(MessageNotFoundError);
  });

  it('acks for an existing colleague at the current time; an unknown delivery is MESSAGE_NOT_FOUND', async () => {
    await service.ack('m', 'c2', 'msg1');
    expect(mediator.getColleague).toHaveBeenCalledWith('c2');
    expect(messages.ack).toHaveBeenCalledWith('m', 'msg1', 'c2', new Date('2026-01-01T00:00:00Z'));

    messages.ack.mockResolvedValueOnce(false);
    await expect(service.ack('m', 'c2', 'other')).rejects.toBeInstanceOf(MessageNotFoundError);
  });

  describe('reply', () => {
    it('passes the answer to the waiting request, authorised as its handler, then acks it', async () => {
      messages.findById.mockResolvedValue(stored(request));
      replies.answer.mockResolvedValue(true);
      const asHandler = jest.fn();

      await service.reply('m', 'msg1', { ok: true, result: 42 }, asHandler);

      expect(asHandler).toHaveBeenCalledWith('c2');
      expect(replies.answer).toHaveBeenCalledWith('msg1', { ok: true, result: 42 });
      expect(messages.ack).toHaveBeenCalledWith('m', 'msg1', 'c2', expect.any(Date));
    });

    it('answers REQUEST_NOT_PENDING for a plain message and for a request already answered', async () => {
      await expect(service.reply('m', 'msg1', { ok: true }, () => undefined)).rejects.toMatchObject(
        { code: 'REQUEST_NOT_PENDING', category: 'conflict' },
      );

      messages.findById.mockResolvedValue(stored(request));
      replies.answer.mockResolvedValue(false);
      await expect(service.reply('m', 'msg1', { ok: true }, () => undefined)).rejects.toMatchObject(
        { code: 'REQUEST_NOT_PENDING' },
      );
      expect(messages.ack).not.toHaveBeenCalled();
    });
  });

  describe('redeliverMessage', () => {
    it('resets the unacknowledged deliveries and pushes the message to the recipients online', async () => {
      messages.findById.mockResolvedValue(stored(envelope, ['c2', 'c3', 'c4']));
      messages.resetDeliveries.mockResolvedValue(['c2', 'c3']);
      hub.onlineAmong.mockResolvedValue(new Set(['c3']));

      await service.redeliverMessage('m', 'msg1', undefined);

      expect(messages.resetDeliveries).toHaveBeenCalledWith('m', 'msg1', undefined);
      expect(hub.onlineAmong).toHaveBeenCalledWith('m', ['c2', 'c3']);
      expect(hub.push).toHaveBeenCalledTimes(1);
      expect(hub.push).toHaveBeenCalledWith(envelope, 'c3');
    });

    it('answers MESSAGE_NOT_FOUND for a recipient the message never had', async () => {
      await expect(service.redeliverMessage('m', 'msg1', 'stranger')).rejects.toBeInstanceOf(
        MessageNotFoundError,
      );
      expect(messages.resetDeliveries).not.toHaveBeenCalled();
    });

    it('answers INVALID_STATE when every delivery is acknowledged already', async () => {
      messages.resetDeliveries.mockResolvedValue([]);

      await expect(service.redeliverMessage('m', 'msg1', 'c2')).rejects.toBeInstanceOf(
        InvalidStateError,
      );
      expect(messages.resetDeliveries).toHaveBeenCalledWith('m', 'msg1', ['c2']);
      expect(hub.push).not.toHaveBeenCalled();
    });
  });

  it('pushes every unacknowledged delivery to a reconnecting colleague and counts them', async () => {
    const second = { ...envelope, id: 'msg2' };
    messages.unacked.mockResolvedValue([envelope, second]);

    await expect(service.redeliver('m', 'c2')).resolves.toBe(2);
    expect(hub.push.mock.calls).toEqual([
      [envelope, 'c2'],
      [second, 'c2'],
    ]);
  });
});
