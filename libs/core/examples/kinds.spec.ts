import { main } from './kinds';

describe('the kinds example', () => {
  it('shows every kind keeping its guarantee in process', async () => {
    const observed = await main(() => undefined);

    expect(observed.replies).toEqual([
      { id: 1, name: 'Ada', createdBy: 'users-1' },
      { id: 1, name: 'Alan', createdBy: 'users-2' },
    ]);
    expect(observed.queryCalls).toBe(1);
    expect(observed.welcomes).toEqual(['welcome Ada']);
    expect(observed.duplicate).toBe(true);
    expect(observed.log.slice(0, 4)).toEqual([
      'request command/create_user',
      'request command/create_user',
      'request query/get_user',
      'request query/get_user',
    ]);
    expect(observed.notification).toBe('delivered');
    expect(observed.workflow).toEqual({
      status: 'failed',
      compensated: ['charge card', 'reserve stock'],
      steps: ['reserve', 'charge', 'ship', 'ship', 'refund', 'release'],
    });
    expect(observed.unhealthy).toEqual(['billing']);
    expect(observed.leaseError).toBe('INSUFFICIENT_CAPACITY');
    expect(observed.tasks).toEqual(['urgent.png', 'cat.png']);
    expect(observed.jobRuns).toBe(3);
    expect(observed.errorCodes).toEqual(['NO_HANDLER', 'WORKFLOW_NOT_FOUND', 'INVALID_SCHEDULE']);
  });
});
