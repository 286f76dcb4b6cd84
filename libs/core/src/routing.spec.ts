import type { ColleagueInfo } from './model';
import { RoundRobin, chooseHandler, handlersOf, pickRoundRobin, subscribersOf } from './routing';

function colleague(id: string, fields: Partial<ColleagueInfo> = {}): ColleagueInfo {
  return {
    mediator: 'm',
    id,
    name: id,
    type: 'command',
    active: true,
    handles: [],
    subscriptions: [],
    metadata: {},
    registeredAt: new Date(0),
    ...fields,
  };
}

describe('routing rule', () => {
  const colleagues = [
    colleague('c', { handles: ['create_user'] }),
    colleague('a', { handles: ['create_user', 'delete_user'] }),
    colleague('asleep', { handles: ['create_user'], active: false }),
    colleague('b', { handles: ['delete_user'], subscriptions: ['user_created'] }),
  ];

  it('takes as handlers the active colleagues whose handles list the type, ordered by id', () => {
    expect(handlersOf(colleagues, 'create_user').map((c) => c.id)).toEqual(['a', 'c']);
    expect(handlersOf(colleagues, 'unknown')).toEqual([]);
  });

  it('sends an event to subscribers of its type and to colleagues without subscriptions', () => {
    expect(subscribersOf(colleagues, 'user_created').map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(subscribersOf(colleagues, 'order_paid').map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('never sends an event back to its publisher', () => {
    expect(subscribersOf(colleagues, 'user_created', 'b').map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('chooses handlers in turn, skipping offline ones', () => {
    const online = (c: ColleagueInfo) => c.id !== 'c';
    const many = [...colleagues, colleague('d', { handles: ['create_user'] })];
    const picks = [0, 1, 2, 3].map((turn) => chooseHandler(many, 'create_user', turn, online)?.id);
    expect(picks).toEqual(['a', 'd', 'a', 'd']);
    expect(chooseHandler(many, 'create_user', 0, () => false)).toBeUndefined();
  });

  it('rotates turns per key with RoundRobin', () => {
    const rr = new RoundRobin();
    const turns = ['x', 'x', 'y', 'x'].map((key) => rr.nextTurn(key));
    expect(turns).toEqual([0, 1, 0, 2]);
    expect(pickRoundRobin(['a', 'b'], 5)).toBe('b');
    expect(pickRoundRobin([], 0)).toBeUndefined();
  });
});
