import type { Notification, WorkflowState } from '@mediator/core';
import { type Harness, at, event, nextId, useHarness } from './harness';
import type { NotificationWorkflowStores } from './kind-stores';

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: nextId(),
    mediator: 'orders',
    type: 'welcome',
    channel: 'email',
    recipientId: 'user-1',
    content: { subject: 'Hi', lines: ['a', 2, null] },
    status: 'pending',
    retryCount: 3,
    attempts: 0,
    lastError: null,
    createdAt: at('2026-01-02T03:04:05.123Z'),
    updatedAt: at('2026-01-02T03:04:05.123Z'),
    ...overrides,
  };
}

function workflow(overrides: Partial<WorkflowState> = {}): WorkflowState {
  return {
    id: nextId(),
    mediator: 'orders',
    name: 'checkout',
    steps: [
      { name: 'reserve', type: 'stock.reserve', compensate: 'stock.release' },
      { name: 'charge', type: 'card.charge', retryCount: 2 },
    ],
    data: { order: 7 },
    status: 'running',
    currentStep: 0,
    retryCount: 1,
    results: {},
    compensated: [],
    error: null,
    owner: 'runner-a',
    leaseUntil: at('2026-01-02T03:05:05.123Z'),
    createdAt: at('2026-01-02T03:04:05.123Z'),
    updatedAt: at('2026-01-02T03:04:05.123Z'),
    ...overrides,
  };
}

/** NotificationStore (the core's port) plus the SQL adapter's take-over of abandoned ones. */
export function notificationStoreContract(harness: Harness<NotificationWorkflowStores>): void {
  describe('NotificationStore', () => {
    const stores = useHarness(harness);

    it('stores a notification with its event and reads it back with every field', async () => {
      const { notifications, outbox } = stores();
      const n = notification();
      const created = event('notification_created', 'orders', { id: n.id });
      await notifications.add(n, created);
      expect(await notifications.find('orders', n.id)).toEqual(n);
      expect(await notifications.find('billing', n.id)).toBeNull();
      expect((await outbox.next(10)).map((r) => r.id)).toEqual([created.id]);
    });

    it('saves status changes; an event goes with the change, none when null', async () => {
      const { notifications, outbox } = stores();
      const n = notification();
      await notifications.add(n, event('notification_created', 'orders'));
      const sent = { ...n, status: 'sent' as const, attempts: 1 };
      await notifications.save(sent, null);
      const failed = { ...sent, status: 'failed' as const, lastError: 'smtp down' };
      const failedEvent = event('notification_failed', 'orders');
      await notifications.save(failed, failedEvent);
      expect(await notifications.find('orders', n.id)).toEqual(failed);
      expect((await outbox.next(10)).map((r) => r.event)).toEqual([
        'notification_created',
        'notification_failed',
      ]);
    });

    it('lets exactly one instance take over an abandoned notification; sent goes back to pending', async () => {
      const { notifications, otherNotifications } = stores();
      const pending = notification();
      const sent = notification({ status: 'sent', attempts: 1 });
      const delivered = notification({ status: 'delivered', attempts: 1 });
      for (const n of [pending, sent, delivered])
        await notifications.add(n, event('notification_created', 'orders'));
      // Held by the instance that wrote them: nobody may take them yet.
      expect(await otherNotifications.claimUnfinished(new Date())).toEqual([]);

      const later = new Date(Date.now() + 120_000);
      const [a, b] = await Promise.all([
        otherNotifications.claimUnfinished(later),
        notifications.claimUnfinished(later),
      ]);
      const taken = [...a, ...b];
      expect(taken.map((n) => n.id).sort()).toEqual([pending.id, sent.id].sort());
      expect(taken.every((n) => n.status === 'pending')).toBe(true);
      expect(await otherNotifications.claimUnfinished(later)).toEqual([]);
    });
  });
}

/** WorkflowStore (the core's port): compare-and-set on the status, atomic claim of expired leases. */
export function workflowStoreContract(harness: Harness<NotificationWorkflowStores>): void {
  describe('WorkflowStore', () => {
    const stores = useHarness(harness);

    it('stores a workflow with its event and reads every field back', async () => {
      const { workflows, outbox } = stores();
      const w = workflow();
      const started = event('workflow_started', 'orders', { id: w.id });
      await workflows.add(w, started);
      expect(await workflows.find('orders', w.id)).toEqual(w);
      expect(await workflows.find('billing', w.id)).toBeNull();
      expect((await outbox.next(10)).map((r) => r.id)).toEqual([started.id]);
    });

    it('saves only while the stored status is the expected one, with the events', async () => {
      const { workflows, outbox } = stores();
      const w = workflow();
      await workflows.add(w, event('workflow_started', 'orders'));
      const step = {
        ...w,
        currentStep: 1,
        results: { reserve: { ok: true } },
        updatedAt: at('2026-01-02T03:04:06.000Z'),
      };
      const stepEvent = event('workflow_step_completed', 'orders');
      expect(await workflows.save(step, 'running', [stepEvent])).toBe(true);
      const cancelled = { ...step, status: 'cancelled' as const, owner: null, leaseUntil: null };
      expect(
        await workflows.save(cancelled, 'running', [event('workflow_cancelled', 'orders')]),
      ).toBe(true);
      // The runner's next write lost the race with the cancel: nothing written, no event.
      const lost = { ...step, currentStep: 2, status: 'completed' as const };
      expect(await workflows.save(lost, 'running', [event('workflow_completed', 'orders')])).toBe(
        false,
      );
      expect(await workflows.find('orders', w.id)).toEqual(cancelled);
      expect((await outbox.next(10)).map((r) => r.event)).toEqual([
        'workflow_started',
        'workflow_step_completed',
        'workflow_cancelled',
      ]);
    });

    it('refuses a write from a runner whose lease another instance took over', async () => {
      const { workflows } = stores();
      const w = workflow({ leaseUntil: at('2026-01-02T03:04:06.000Z') });
      await workflows.add(w, event('workflow_started', 'orders'));
      const now = at('2026-01-02T03:04:07.000Z');
      const [taken] = await workflows.claimResumable(
        'orders',
        'runner-b',
        now,
        at('2026-01-02T03:05:00.000Z'),
      );
      expect(taken).toMatchObject({ id: w.id, owner: 'runner-b' });
      const stale = { ...w, currentStep: 1, owner: 'runner-a' };
      expect(await workflows.save(stale, 'running', [])).toBe(false);
      expect(await workflows.save({ ...taken, currentStep: 1 }, 'running', [])).toBe(true);
    });

    it('pages the workflows of a mediator newest first, by status, with their steps', async () => {
      const { workflows } = stores();
      const [oldest, middle, newest] = [workflow(), workflow({ status: 'completed' }), workflow()];
      for (const w of [oldest, middle, newest, workflow({ mediator: 'billing' })])
        await workflows.add(w, event('workflow_started', w.mediator));

      const first = await workflows.page('orders', undefined, { limit: 2 });
      expect(first.items.map((w) => w.id)).toEqual([newest.id, middle.id]);
      expect(first.items[0]).toEqual(newest);
      expect(first.nextCursor).not.toBeNull();
      const rest = await workflows.page('orders', undefined, { limit: 2, after: middle.id });
      expect(rest).toEqual({ items: [oldest], nextCursor: null });
      const running = await workflows.page('orders', 'running', { limit: 10 });
      expect(running.items.map((w) => w.id)).toEqual([newest.id, oldest.id]);
      expect(await workflows.page('orders', 'failed', { limit: 10 })).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('claims only unfinished workflows of the mediator whose lease expired, each once', async () => {
      const { workflows } = stores();
      const now = at('2026-01-02T04:00:00.000Z');
      const expired = workflow({ leaseUntil: at('2026-01-02T03:59:59.000Z') });
      const compensating = workflow({ status: 'compensating', leaseUntil: null, owner: null });
      const held = workflow({ leaseUntil: at('2026-01-02T04:00:30.000Z') });
      const done = workflow({ status: 'completed', owner: null, leaseUntil: null });
      const elsewhere = workflow({ mediator: 'billing', leaseUntil: null, owner: null });
      for (const w of [expired, compensating, held, done, elsewhere])
        await workflows.add(w, event('workflow_started', w.mediator));

      expect((await workflows.mediatorsWithResumable(now)).sort()).toEqual(['billing', 'orders']);
      const until = at('2026-01-02T04:01:00.000Z');
      const results = await Promise.all(
        ['b', 'c', 'd'].map((owner) => workflows.claimResumable('orders', owner, now, until)),
      );
      const claimed = results.flat();
      expect(claimed.map((w) => w.id).sort()).toEqual([expired.id, compensating.id].sort());
      expect(claimed.every((w) => w.leaseUntil?.getTime() === until.getTime())).toBe(true);
      expect(await workflows.claimResumable('orders', 'e', now, until)).toEqual([]);
      expect(await workflows.mediatorsWithResumable(now)).toEqual(['billing']);
    });
  });
}
