import { DeliveryRouter } from './delivery-router';
import type { Answer, Envelope, Kind } from './wire';

let seq = 0;
function envelope(kind: Kind, type: string, payload: unknown = {}, id = `m${++seq}`): Envelope {
  return {
    id,
    mediator: 'shop',
    kind,
    type,
    sender_id: 'web',
    recipient_id: 'billing',
    payload,
    headers: {},
    correlation_id: kind === 'message' || kind === 'event' ? null : id,
    created_at: new Date(0).toISOString(),
    status: 'delivered',
  };
}

/** Delivers and resolves with the ack's answer. */
function deliver(router: DeliveryRouter, e: Envelope): Promise<Answer> {
  return new Promise((resolve) => router.receive(e, resolve));
}

describe('DeliveryRouter', () => {
  it('acks a message when the handler resolves and nacks it with the error when it throws', async () => {
    const router = new DeliveryRouter();
    router.onMessage((m) => {
      if ((m.payload as { bad?: boolean }).bad)
        throw Object.assign(new Error('no'), { code: 'BAD_ORDER' });
    });
    expect(await deliver(router, envelope('message', 'x'))).toMatchObject({ ok: true });
    expect(await deliver(router, envelope('message', 'x', { bad: true }))).toEqual({
      ok: false,
      error: { code: 'BAD_ORDER', message: 'no' },
    });
  });

  it('answers a request with the handler result, and a code that is not UPPER_SNAKE as HANDLER_FAILED', async () => {
    const router = new DeliveryRouter();
    router.handle('charge', (data) => ({ charged: (data as { total: number }).total }));
    router.handle('refund', () => {
      throw Object.assign(new Error('later'), { code: 'not-a-code' });
    });
    expect(await deliver(router, envelope('command', 'charge', { total: 5 }))).toEqual({
      ok: true,
      result: { charged: 5 },
    });
    expect(await deliver(router, envelope('command', 'refund'))).toEqual({
      ok: false,
      error: { code: 'HANDLER_FAILED', message: 'later' },
    });
  });

  it('gives an event to every subscriber of its type and to * subscribers', async () => {
    const router = new DeliveryRouter();
    const seen: string[] = [];
    router.subscribe('order_placed', (data) => void seen.push(`a:${JSON.stringify(data)}`));
    router.subscribe('*', (_data, e) => void seen.push(`all:${e.type}`));
    await deliver(router, envelope('event', 'order_placed', { id: 1 }));
    expect(seen).toEqual(['a:{"id":1}', 'all:order_placed']);
  });

  it('holds a delivery without a handler until one is registered', async () => {
    const router = new DeliveryRouter();
    const answer = deliver(router, envelope('command', 'charge', 3));
    router.handle('charge', (n) => (n as number) * 2);
    expect(await answer).toEqual({ ok: true, result: 6 });
  });

  it('never gives a handled message to the handler twice; the repeat is acked with the first answer', async () => {
    const router = new DeliveryRouter();
    const handler = jest.fn();
    router.onMessage(handler);
    const e = envelope('message', 'x');
    await deliver(router, e);
    expect(await deliver(router, { ...e })).toMatchObject({ ok: true });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('gives a redelivery after a nack to the handler again', async () => {
    const router = new DeliveryRouter();
    let calls = 0;
    router.onMessage(() => {
      if (++calls === 1) throw new Error('not yet');
    });
    const e = envelope('message', 'x');
    expect(await deliver(router, e)).toMatchObject({ ok: false });
    expect(await deliver(router, { ...e })).toMatchObject({ ok: true });
    expect(calls).toBe(2);
  });

  it('gives a request without a handler of its own type to the * handler', async () => {
    const router = new DeliveryRouter();
    router.handle('charge', () => 'charged');
    router.handle('*', (_data, e) => `default for ${e.type}`);
    expect(await deliver(router, envelope('workflow', 'parcel.ship'))).toEqual({
      ok: true,
      result: 'default for parcel.ship',
    });
    expect(await deliver(router, envelope('command', 'charge'))).toEqual({
      ok: true,
      result: 'charged',
    });
  });

  it('refuses a second handler for the same type', () => {
    const router = new DeliveryRouter();
    router.handle('charge', () => 1);
    expect(() => router.handle('charge', () => 2)).toThrow(/already registered/);
  });
});
