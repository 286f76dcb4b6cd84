import type { IdGenerator } from './ports';

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** Random bytes are fetched 4 KiB at a time: one crypto call per 256 ids, not per id. */
const POOL_SIZE = 4096;

/**
 * UUID v7 (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by time.
 * Written here because the core has no runtime dependencies; it needs only `crypto.getRandomValues`,
 * which Node 20 and every browser provide. It is on every message's hot path, hence the random
 * pool, the hex table and no BigInt.
 */
export class UuidV7Generator implements IdGenerator {
  private lastMs = 0;
  private sequence = 0;
  private readonly pool = new Uint8Array(POOL_SIZE);
  private poolOffset = POOL_SIZE;

  next(): string {
    const bytes = this.randomBytes();
    let ms = Date.now();
    if (ms <= this.lastMs) {
      // Same millisecond: count up in the 12 "rand_a" bits so ids stay strictly ordered.
      this.sequence = (this.sequence + 1) & 0xfff;
      if (this.sequence === 0) this.lastMs += 1;
      ms = this.lastMs;
    } else {
      this.lastMs = ms;
      this.sequence = bytes[6] & 0x0f ? ((bytes[6] & 0x0f) << 8) | bytes[7] : 0;
      this.sequence &= 0x7ff;
    }
    const high = Math.floor(ms / 0x100000000); // top 16 of the 48 time bits
    const low = ms >>> 0;
    const h = (i: number) => HEX[bytes[i]];
    return (
      HEX[(high >>> 8) & 0xff] +
      HEX[high & 0xff] +
      HEX[low >>> 24] +
      HEX[(low >>> 16) & 0xff] +
      '-' +
      HEX[(low >>> 8) & 0xff] +
      HEX[low & 0xff] +
      '-' +
      HEX[0x70 | ((this.sequence >> 8) & 0x0f)] +
      HEX[this.sequence & 0xff] +
      '-' +
      HEX[0x80 | (bytes[8] & 0x3f)] +
      h(9) +
      '-' +
      h(10) +
      h(11) +
      h(12) +
      h(13) +
      h(14) +
      h(15)
    );
  }

  /** A view of 16 fresh random bytes from the pool. */
  private randomBytes(): Uint8Array {
    if (this.poolOffset + 16 > POOL_SIZE) {
      globalThis.crypto.getRandomValues(this.pool);
      this.poolOffset = 0;
    }
    const bytes = this.pool.subarray(this.poolOffset, this.poolOffset + 16);
    this.poolOffset += 16;
    return bytes;
  }
}
