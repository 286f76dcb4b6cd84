import { DataSource } from 'typeorm';
import type { Envelope } from '@mediator/core';
import type { AppConfig } from '@mediator/config';
import { dataSourceOptions } from '../../libs/persistence/src/data-source-options';
import { SqlMessageRepository } from '../../libs/persistence/src/documents/sql-message.repository';

const N = 1000;
async function main() {
  const path = `/tmp/perfws/exp/fan-${Date.now()}.sqlite`;
  const ds = await new DataSource(dataSourceOptions({ database: { sqlite: { path }, mysql: { enabled: false } } } as AppConfig)).initialize();
  await ds.runMigrations();
  const repo = new SqlMessageRepository(ds);
  const ids = Array.from({ length: N }, (_, i) => `f${i}`);
  let seq = 0;
  const env = (): Envelope => ({ id: `0190000${String(++seq).padStart(9, '0')}`, mediator: 'fan', kind: 'message', type: 'text', senderId: 'a', recipientId: null, payload: { n: 1 }, headers: {}, correlationId: null, createdAt: new Date(), status: 'pending' } as unknown as Envelope);
  const ms = (t: bigint) => (Number(process.hrtime.bigint() - t) / 1e6).toFixed(1);
  for (let round = 0; round < 6; round++) {
    const e = env();
    let t = process.hrtime.bigint();
    await repo.save(e, ids, undefined, null);
    const save = ms(t);
    const at = new Date();
    t = process.hrtime.bigint();
    await Promise.all(ids.map((id) => repo.markDelivered('fan', e.id, id, at, at.getTime() + 30000)));
    const del = ms(t);
    const spread = Number(process.env.SPREAD ?? 100);
    t = process.hrtime.bigint();
    await Promise.all(ids.map((id, i) => repo.ack('fan', e.id, id, new Date(at.getTime() + (i % spread)))));
    const ack = ms(t);
    console.log(`save ${save} ms, delivered ${del} ms, acked (${spread} distinct ms) ${ack} ms`);
  }
  await ds.destroy();
}
void main();
