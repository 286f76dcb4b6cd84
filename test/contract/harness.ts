import { type DataSource } from 'typeorm';
import {
  type ColleagueInfo,
  type Envelope,
  type LifecycleEvent,
  type MediatorInfo,
  UuidV7Generator,
} from '@mediator/core';
import type {
  AuditRepository,
  ColleagueRepository,
  MediatorRepository,
  MessageRepository,
  OutboxRepository,
} from '@mediator/persistence/ports';
import type { RetentionStore } from '@mediator/persistence/retention/retention-store';

/** One backend under test: opened once per suite, emptied before each test, closed at the end. */
export interface Harness<T> {
  open(): Promise<T>;
  clean(): Promise<void>;
  close(): Promise<void>;
}

/** The ports of one store pairing (relational + documents), as the service wires them. */
export interface Stores {
  mediators: MediatorRepository;
  colleagues: ColleagueRepository;
  outbox: OutboxRepository;
  messages: MessageRepository;
  audit: AuditRepository;
  retention: RetentionStore;
}

/** Registers the harness's lifecycle with jest and returns a getter for the opened stores. */
export function useHarness<T>(harness: Harness<T>): () => T {
  let opened: T | undefined;
  beforeAll(async () => {
    opened = await harness.open();
  });
  beforeEach(() => harness.clean());
  afterAll(() => harness.close());
  return () => {
    if (!opened) throw new Error('harness not opened');
    return opened;
  };
}

/** Empties every table the migrations create (children first). */
export async function cleanSqlTables(ds: DataSource): Promise<void> {
  for (const table of [
    'message_recipients',
    'messages',
    'audit_entries',
    'tasks',
    'job_runs',
    'outbox',
    'colleagues',
    'mediators',
  ])
    await ds.query(`DELETE FROM ${table}`);
}

const ids = new UuidV7Generator();
export const nextId = (): string => ids.next();

/** Millisecond timestamps, as every store keeps them. */
export function at(iso: string): Date {
  return new Date(iso);
}

export function event(name: string, mediator: string, data: unknown = {}): LifecycleEvent {
  return { id: nextId(), event: name, mediator, data, timestamp: at('2026-01-02T03:04:05.678Z') };
}

export function mediator(name: string, overrides: Partial<MediatorInfo> = {}): MediatorInfo {
  return {
    name,
    description: `the ${name} mediator`,
    maxColleagues: 10,
    colleagueCount: 0,
    createdAt: at('2026-01-02T03:04:05.123Z'),
    updatedAt: at('2026-01-02T03:04:05.123Z'),
    ...overrides,
  };
}

export function colleague(
  mediatorName: string,
  id: string,
  overrides: Partial<ColleagueInfo> = {},
): ColleagueInfo {
  return {
    mediator: mediatorName,
    id,
    name: `colleague ${id}`,
    type: 'service',
    active: true,
    handles: ['ping'],
    subscriptions: ['orders'],
    metadata: { region: 'eu', weight: 2, tags: ['a', 'b'], nested: { ok: true } },
    registeredAt: at('2026-01-02T03:04:05.456Z'),
    ...overrides,
  };
}

export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    id: nextId(),
    mediator: 'orders',
    kind: 'message',
    type: 'text',
    senderId: 'alice',
    recipientId: 'bob',
    payload: { text: 'hello', n: 1.5, list: [1, 'two', null], $odd: { 'dotted.key': true } },
    headers: { 'x-trace': 'abc' },
    correlationId: null,
    createdAt: at('2026-01-02T03:04:05.789Z'),
    status: 'pending',
    ...overrides,
  };
}
