import type { IdGenerator } from './ports';

/**
 * UUID v7 (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by time.
 * Written here because the core has no runtime dependencies; it needs only `crypto.getRandomValues`,
 * which Node 20 and every browser provide.
 */
export class UuidV7Generator implements IdGenerator {
  private lastMs = 0;
  private sequence = 0;

  next(): string {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
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
    const time = BigInt(ms);
    for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
    bytes[6] = 0x70 | ((this.sequence >> 8) & 0x0f);
    bytes[7] = this.sequence & 0xff;
    bytes[8] = 0x80 | (bytes[8] & 0x3f);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
