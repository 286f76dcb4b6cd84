import { RelayLease } from './relay-lease';

class FakeLeaseStore {
  calls = 0;
  free = true;
  released = 0;
  async acquireLease(): Promise<boolean> {
    this.calls += 1;
    return this.free;
  }
  async releaseLease(): Promise<void> {
    this.released += 1;
  }
}

describe('RelayLease', () => {
  let now: number;
  let store: FakeLeaseStore;
  let lease: RelayLease;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    store = new FakeLeaseStore();
    lease = new RelayLease(store, 'me', 9000);
  });

  afterEach(() => jest.restoreAllMocks());

  it('asks the store once, then again only after a third of the lease time', async () => {
    for (let pass = 0; pass < 5; pass++) {
      expect(await lease.hold()).toBe(true);
      now += 500;
    }
    expect(store.calls).toBe(1);
    now += 1000; // 3.5 s since the renewal: more than a third of 9 s
    expect(await lease.hold()).toBe(true);
    expect(store.calls).toBe(2);
  });

  it('asks on every pass while another instance holds it', async () => {
    store.free = false;
    expect(await lease.hold()).toBe(false);
    expect(await lease.hold()).toBe(false);
    expect(store.calls).toBe(2);
  });

  it('asks again after giving the lease up', async () => {
    await lease.hold();
    await lease.release();
    await lease.hold();
    expect([store.calls, store.released]).toEqual([2, 1]);
  });
});
