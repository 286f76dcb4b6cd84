import { BoundedMap, memoryCacheStore } from './bounded-map';

describe('BoundedMap', () => {
  it('keeps at most maxItems entries, dropping the oldest first', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect([...map.keys()]).toEqual(['b', 'c']);
  });

  it('overwrites an existing key without evicting another', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10);
    expect(Object.fromEntries(map)).toEqual({ a: 10, b: 2 });
  });
});

describe('memoryCacheStore', () => {
  it('hands back the stored object itself, not a JSON copy of it', async () => {
    const store = memoryCacheStore(10);
    const entry = { createdAt: new Date(0), tags: ['a'] };
    await store.set('k', entry);
    const read = await store.get<typeof entry>('k');
    expect(read).toBe(entry);
    expect(read?.createdAt).toBeInstanceOf(Date);
  });

  it('still expires entries and stays bounded', async () => {
    const store = memoryCacheStore(1);
    await store.set('old', 1, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.get('old')).toBeUndefined();
    await store.set('a', 1);
    await store.set('b', 2);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBe(2);
  });
});
