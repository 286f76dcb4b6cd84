/**
 * The in-memory cache store: a Map that holds at most `maxItems` entries (config `cache.max_size`, alias `cache.max_items`)
 * and drops the oldest entry to make room. Keyv accepts any Map as its store; the cache-manager
 * default is an unbounded Map, which would grow with every colleague ever looked up.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly maxItems: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.maxItems) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
