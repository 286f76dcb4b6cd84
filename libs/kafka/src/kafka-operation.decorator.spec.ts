import 'reflect-metadata';
import type { Principal } from '@mediator/auth';
import { KafkaOperation, collectOperations } from './kafka-operation.decorator';

class PingDto {
  mediator: string;
  sender_id: string;
}

class Pings {
  constructor(private readonly reply: string) {}

  @KafkaOperation('ping', PingDto, {
    audited: true,
    scopes: ['messages:send'],
    colleague: (p) => p.sender_id,
  })
  async ping(p: PingDto) {
    return { reply: this.reply, mediator: p.mediator };
  }

  /** Not an operation: not collected. */
  async helper() {
    return null;
  }
}

class MorePings extends Pings {
  @KafkaOperation('ping_all', PingDto, { audited: false, scopes: [], noColleague: true })
  async all() {
    return 'all';
  }
}

class AnotherPing {
  @KafkaOperation('ping', PingDto, { audited: false, scopes: [] })
  async ping() {
    return null;
  }
}

const principal = {} as Principal;

describe('@KafkaOperation', () => {
  it('collects each declared method with its payload class and access, bound to its provider', async () => {
    const operations = collectOperations([new Pings('pong'), { plain: true }]);
    expect([...operations.keys()]).toEqual(['ping']);
    const ping = operations.get('ping')!;
    expect(ping.payload).toBe(PingDto);
    expect(ping).toMatchObject({ audited: true, scopes: ['messages:send'] });
    expect(ping.colleague!({ mediator: 'm', sender_id: 'alice' } as object)).toBe('alice');
    await expect(ping.run({ mediator: 'm', sender_id: 'a' }, principal)).resolves.toEqual({
      reply: 'pong',
      mediator: 'm',
    });
  });

  it('finds inherited operations too', () => {
    const operations = collectOperations([new MorePings('pong')]);
    expect([...operations.keys()].sort()).toEqual(['ping', 'ping_all']);
    expect(operations.get('ping_all')).toMatchObject({ noColleague: true, audited: false });
  });

  it('refuses an operation name declared twice, naming both declarations', () => {
    expect(() => collectOperations([new Pings('pong'), new AnotherPing()])).toThrow(
      "Kafka operation 'ping' is declared twice: by Pings.ping and by AnotherPing.ping",
    );
  });
});
