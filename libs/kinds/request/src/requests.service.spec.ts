import type { TestingModule } from '@nestjs/testing';
import type { AppConfig } from '@mediator/config';
import { RequestTimeoutError, ValidationError } from '@mediator/core';
import { compileKind, fakePorts, type Ports } from '../../../../test/support/nest-fakes';
import { requestKind } from './request.kind';
import { RequestsService } from './requests.service';

describe('RequestsService (the command and query kinds)', () => {
  let ports: Ports;
  let request: jest.Mock;
  let service: RequestsService;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    ports = fakePorts({ timeoutMs: 30_000 } as Partial<AppConfig>);
    request = jest.fn().mockResolvedValue({ ok: true });
    ports.core.knows('m', { request });
    ({ service, moduleRef } = await compileKind(requestKind, RequestsService, ports));
  });

  afterEach(() => moduleRef.close());

  it('sends a command to one handler through the core and returns its reply', async () => {
    await expect(
      service.execute('m', {
        senderId: 'c1',
        type: 'order.create',
        data: { n: 1 },
        timeoutMs: 500,
      }),
    ).resolves.toEqual({ ok: true });

    expect(request).toHaveBeenCalledWith(
      'c1',
      'order.create',
      { n: 1 },
      {
        kind: 'command',
        timeoutMs: 500,
      },
    );
    expect(ports.metrics.messageSent).toHaveBeenCalledWith('command', 'ok');
  });

  it('sends a query as a query (the kind the core caches replies of)', async () => {
    await service.query('m', { senderId: 'c1', type: 'order.get', data: null });

    expect(request).toHaveBeenCalledWith('c1', 'order.get', null, {
      kind: 'query',
      timeoutMs: undefined,
    });
    expect(ports.metrics.messageSent).toHaveBeenCalledWith('query', 'ok');
  });

  it('refuses a timeout longer than the config’s before asking the core', async () => {
    const refused = service.execute('m', {
      senderId: 'c1',
      type: 'order.create',
      data: null,
      timeoutMs: 30_001,
    });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      details: [{ field: 'timeout_ms', problem: expect.stringContaining('30000') }],
    });
    expect(ports.core.mediator).not.toHaveBeenCalled();
  });

  it('counts a timed-out request as an error, lets the core’s error through', async () => {
    const timedOut = new RequestTimeoutError('order.create', 500);
    request.mockRejectedValueOnce(timedOut);

    await expect(
      service.execute('m', { senderId: 'c1', type: 'order.create', data: null, timeoutMs: 500 }),
    ).rejects.toBe(timedOut);
    expect(ports.metrics.messageSent).toHaveBeenCalledWith('command', 'error');
  });
});
