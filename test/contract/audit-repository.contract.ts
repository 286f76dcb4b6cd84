import type { AuditEntry } from '@mediator/persistence/ports';
import { decodeCursor } from '@mediator/persistence/pagination';
import { type Harness, type Stores, nextId, useHarness } from './harness';

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    id: nextId(),
    at: new Date('2026-04-01T12:00:00.000Z'),
    actor: 'admin',
    transport: 'http',
    action: 'mediator.create',
    mediator: 'orders',
    target: 'orders',
    outcome: 'ok',
    requestId: 'req-1',
    details: { status: 201, nested: { list: [1, 'x'] } },
    ...overrides,
  };
}

/** AuditRepository: append-only audit entries, queried with filters, oldest first. */
export function auditRepositoryContract(harness: Harness<Stores>): void {
  describe('AuditRepository', () => {
    const stores = useHarness(harness);
    let entries: AuditEntry[];

    beforeEach(async () => {
      entries = [
        entry({ at: new Date('2026-04-01T12:00:00.100Z') }),
        entry({
          at: new Date('2026-04-01T12:00:01.200Z'),
          actor: 'svc-a',
          transport: 'ws',
          action: 'message.send',
          outcome: 'denied',
        }),
        entry({
          at: new Date('2026-04-01T12:00:02.300Z'),
          mediator: 'billing',
          target: null,
          requestId: null,
          transport: 'kafka',
          outcome: 'error',
          details: {},
        }),
        entry({ at: new Date('2026-04-01T12:00:03.400Z'), actor: 'svc-a', mediator: null }),
        entry({ at: new Date('2026-04-01T12:00:04.500Z'), action: 'message.send' }),
      ];
      await stores().audit.append(entries.slice(0, 2));
      await stores().audit.append(entries.slice(2));
      await stores().audit.append([]);
    });

    const ids = (list: AuditEntry[]) => list.map((e) => e.id);

    it('returns every entry oldest first with every field intact', async () => {
      const page = await stores().audit.query({}, { limit: 10 });
      expect(page.items).toEqual(entries);
      expect(page.nextCursor).toBeNull();
    });

    it('filters by mediator, actor and action, combined', async () => {
      const { audit } = stores();
      expect(ids((await audit.query({ mediator: 'orders' }, { limit: 10 })).items)).toEqual(
        ids([entries[0], entries[1], entries[4]]),
      );
      expect(ids((await audit.query({ actor: 'svc-a' }, { limit: 10 })).items)).toEqual(
        ids([entries[1], entries[3]]),
      );
      expect(ids((await audit.query({ action: 'message.send' }, { limit: 10 })).items)).toEqual(
        ids([entries[1], entries[4]]),
      );
      expect(
        ids((await audit.query({ mediator: 'orders', actor: 'admin' }, { limit: 10 })).items),
      ).toEqual(ids([entries[0], entries[4]]));
      expect((await audit.query({ mediator: 'nowhere' }, { limit: 10 })).items).toEqual([]);
    });

    it('filters by time, both bounds inclusive', async () => {
      const { audit } = stores();
      const since = entries[1].at;
      const until = entries[3].at;
      expect(ids((await audit.query({ since }, { limit: 10 })).items)).toEqual(
        ids(entries.slice(1)),
      );
      expect(ids((await audit.query({ until }, { limit: 10 })).items)).toEqual(
        ids(entries.slice(0, 4)),
      );
      expect(ids((await audit.query({ since, until }, { limit: 10 })).items)).toEqual(
        ids(entries.slice(1, 4)),
      );
    });

    it('pages with the cursor, also under a filter', async () => {
      const { audit } = stores();
      const first = await audit.query({}, { limit: 2 });
      const second = await audit.query({}, { limit: 2, after: decodeCursor(first.nextCursor!) });
      const third = await audit.query({}, { limit: 2, after: decodeCursor(second.nextCursor!) });
      expect([first, second, third].map((p) => ids(p.items))).toEqual([
        ids(entries.slice(0, 2)),
        ids(entries.slice(2, 4)),
        ids(entries.slice(4)),
      ]);
      expect(third.nextCursor).toBeNull();

      const filtered = await audit.query({ mediator: 'orders' }, { limit: 2 });
      const rest = await audit.query(
        { mediator: 'orders' },
        { limit: 2, after: decodeCursor(filtered.nextCursor!) },
      );
      expect(ids(rest.items)).toEqual(ids([entries[4]]));
      expect(rest.nextCursor).toBeNull();
    });
  });
}
