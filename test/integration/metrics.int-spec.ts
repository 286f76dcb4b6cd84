// CONTRACT §7: the metrics endpoint is Prometheus text that `promtool check metrics` accepts.
// promtool comes from Debian's prometheus package, installed by deploy/local/up.sh.
import { spawnSync } from 'node:child_process';
import { api } from '../support/http';
import { startService, type RunningService } from '../support/service';
import { adminToken } from '../support/tokens';

describe('metrics', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService();
    const admin = api(service.url, adminToken());
    await admin.post('/mediators', { name: 'metrics' });
    await admin.post('/mediators/metrics/colleagues', {
      id: 'a',
      name: 'A',
      type: 'message',
    });
    await admin.post('/mediators/metrics/colleagues', {
      id: 'b',
      name: 'B',
      type: 'message',
    });
    await admin.post('/mediators/metrics/messages', {
      sender_id: 'a',
      recipient_id: 'b',
      message: 'hi',
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('passes promtool check metrics', async () => {
    const text = await (await fetch(`${service.metricsUrl}/metrics`)).text();
    expect(text).toContain('mediator_messages_total{kind="message",outcome="ok"} 1');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (check.error)
      throw new Error(`promtool is not installed (run deploy/local/up.sh): ${check.error.message}`);
    expect({ status: check.status, problems: check.stdout + check.stderr }).toEqual({
      status: 0,
      problems: '',
    });
  });
});
