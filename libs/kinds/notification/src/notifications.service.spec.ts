import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import type { AppConfig } from '@mediator/config';
import { type Notification, NotificationNotFoundError } from '@mediator/core';
import {
  boundStore,
  compileKind,
  type CompiledKind,
  fakeFacade,
  fakePorts,
  type Ports,
  settleBackgroundWork,
  useFakeClock,
} from '../../../../test/support/nest-fakes';
import { notificationKind } from './notification.kind';
import { NotificationsService } from './notifications.service';
import { SqlNotificationStore } from './sql-notification.store';

/** The SQL query of the notification store this spec replaces. */
interface NotificationQueries {
  claimUnfinished(now: Date): Promise<Notification[]>;
}

const config = {
  retryCount: 3,
  notifications: {
    backoffMs: 100,
    maxBackoffMs: 800,
    attemptTimeoutMs: 200,
    sweepIntervalMs: 5000,
  },
} as Partial<AppConfig>;

const notification = { id: 'n1', mediator: 'm', status: 'pending' } as Notification;

describe('NotificationsService', () => {
  let ports: Ports;
  let notifications: ReturnType<typeof fakeFacade<'create' | 'get' | 'deliver'>>;
  let service: NotificationsService;
  let moduleRef: TestingModule;
  let kind: CompiledKind<NotificationsService>;

  beforeEach(async () => {
    useFakeClock();
    ports = fakePorts(config);
    notifications = fakeFacade('create', 'get', 'deliver');
    notifications.create.mockResolvedValue(notification);
    notifications.deliver.mockResolvedValue(undefined);
    ports.core.knows('m', { notifications });
    kind = await compileKind(notificationKind, NotificationsService, ports);
    ({ service, moduleRef } = kind);
  });

  afterEach(async () => {
    await moduleRef.close();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('binds its SQL store and gives the core the retry settings of the config in its module', () => {
    expect(kind.stores.notifications).toBeInstanceOf(SqlNotificationStore);
    expect(kind.options.notifications).toEqual({
      retryCount: 3,
      backoffMs: 100,
      maxBackoffMs: 800,
      attemptTimeoutMs: 200,
    });
  });

  it('stores the notification (the 202), then delivers it in the background', async () => {
    const sent = await service.send('m', {
      type: 'welcome',
      content: { text: 'hi' },
      recipientId: 'c1',
      channel: 'email',
    });

    expect(sent).toBe(notification);
    expect(notifications.create).toHaveBeenCalledWith({
      type: 'welcome',
      content: { text: 'hi' },
      recipientId: 'c1',
      channel: 'email',
      retryCount: undefined,
    });

    await settleBackgroundWork();
    expect(notifications.deliver).toHaveBeenCalledWith('n1');
  });

  it('logs a background delivery that stopped instead of failing the send', async () => {
    notifications.deliver.mockRejectedValueOnce(new Error('handler gone'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    await expect(
      service.send('m', { type: 't', content: null, recipientId: 'c1', channel: 'sms' }),
    ).resolves.toBe(notification);
    await settleBackgroundWork();

    expect(warn).toHaveBeenCalledWith('notification n1 delivery stopped: handler gone');
  });

  it('lets NOTIFICATION_NOT_FOUND of the core through', async () => {
    notifications.get.mockRejectedValueOnce(new NotificationNotFoundError('m', 'n9'));

    await expect(service.get('m', 'n9')).rejects.toBeInstanceOf(NotificationNotFoundError);
  });

  it('resumes the unfinished notifications once the database is up, at the current time', async () => {
    const store = boundStore<NotificationQueries>(kind, 'notifications');
    const unfinished = jest.spyOn(store, 'claimUnfinished').mockResolvedValue([notification]);

    // The pass at bootstrap found the database not initialised yet and did nothing.
    expect(unfinished).not.toHaveBeenCalled();
    ports.dataSource.isInitialized = true;
    await jest.advanceTimersByTimeAsync(5000);
    await settleBackgroundWork();

    expect(unfinished).toHaveBeenCalledWith(new Date('2026-01-01T00:00:05.000Z'));
    expect(notifications.deliver).toHaveBeenCalledWith('n1');
  });
});
