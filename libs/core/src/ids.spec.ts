import { UuidV7Generator } from './ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix millisecond timestamp at the front of a UUIDv7. */
function timestampOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

function expectStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) {
    if (!(ids[i - 1] < ids[i])) {
      throw new Error(`id ${i} (${ids[i]}) does not sort after id ${i - 1} (${ids[i - 1]})`);
    }
  }
}

describe('UuidV7Generator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('produces RFC 9562 version 7 ids: version nibble 7, variant bits 10', () => {
    const generator = new UuidV7Generator();
    for (let i = 0; i < 1000; i++) {
      const id = generator.next();
      expect(id).toMatch(UUID_V7);
      const hex = id.replace(/-/g, '');
      expect(parseInt(hex[12], 16)).toBe(7);
      expect(parseInt(hex[16], 16) >> 2).toBe(0b10);
    }
  });

  it('puts the current Unix time in milliseconds in the first 48 bits', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    jest.spyOn(Date, 'now').mockReturnValue(ms);

    const id = new UuidV7Generator().next();

    expect(timestampOf(id)).toBe(ms);
    expect(id.slice(0, 13)).toBe(
      `${ms.toString(16).padStart(12, '0').slice(0, 8)}-${ms.toString(16).padStart(12, '0').slice(8)}`,
    );
  });

  it('gives 10k unique, strictly increasing ids within one millisecond', () => {
    const ms = Date.UTC(2024, 0, 2);
    jest.spyOn(Date, 'now').mockReturnValue(ms);
    const generator = new UuidV7Generator();

    const ids = Array.from({ length: 10_000 }, () => generator.next());

    expect(new Set(ids).size).toBe(10_000);
    expectStrictlyIncreasing(ids);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    // Running out of sequence borrows the next milliseconds, but only a few.
    expect(timestampOf(ids[0])).toBe(ms);
    expect(timestampOf(ids[ids.length - 1]) - ms).toBeLessThanOrEqual(3);
  });

  it('gives 10k unique, strictly increasing ids on the real clock', () => {
    const generator = new UuidV7Generator();
    const ids = Array.from({ length: 10_000 }, () => generator.next());
    expect(new Set(ids).size).toBe(10_000);
    expectStrictlyIncreasing(ids);
  });

  it('stays increasing when the clock goes backwards', () => {
    const now = jest.spyOn(Date, 'now');
    const generator = new UuidV7Generator();
    const ids: string[] = [];
    for (const ms of [5_000, 5_001, 4_000, 4_000, 5_001, 3_000, 5_002]) {
      now.mockReturnValue(ms);
      ids.push(generator.next());
    }
    expectStrictlyIncreasing(ids);
    expect(timestampOf(ids[ids.length - 1])).toBe(5_002);
  });

  it('sorts ids from a later millisecond after ids from an earlier one', () => {
    const now = jest.spyOn(Date, 'now');
    const generator = new UuidV7Generator();
    now.mockReturnValue(1_000);
    const early = Array.from({ length: 100 }, () => generator.next());
    now.mockReturnValue(1_001);
    const late = generator.next();
    expect(timestampOf(late)).toBe(1_001);
    expect(early.every((id) => id < late)).toBe(true);
  });

  it('keeps separate generators independent but random', () => {
    const ms = 1_700_000_000_000;
    jest.spyOn(Date, 'now').mockReturnValue(ms);
    const ids = Array.from({ length: 50 }, () => new UuidV7Generator().next());
    expect(new Set(ids).size).toBe(50);
  });
});
