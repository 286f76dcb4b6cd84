import { type DispatchContext, type PipelineBehaviour, runPipeline } from './pipeline';

const context = (): DispatchContext => ({
  mediator: 'm',
  operation: 'request',
  kind: 'command',
  type: 't',
  senderId: 's',
  recipientId: null,
  data: null,
  items: new Map(),
});

describe('runPipeline', () => {
  it('runs behaviours outermost first around the final step and returns its result', async () => {
    const order: string[] = [];
    const wrap =
      (name: string): PipelineBehaviour =>
      async (_ctx, next) => {
        order.push(`${name} in`);
        const result = await next();
        order.push(`${name} out`);
        return result;
      };
    const result = await runPipeline([wrap('a'), wrap('b')], context(), async () => {
      order.push('final');
      return 42;
    });
    expect(result).toBe(42);
    expect(order).toEqual(['a in', 'b in', 'final', 'b out', 'a out']);
  });

  it('stops the dispatch when a behaviour throws before next()', async () => {
    const final = jest.fn(async () => 1);
    const reject: PipelineBehaviour = async () => {
      throw new Error('invalid');
    };
    await expect(runPipeline([reject], context(), final)).rejects.toThrow('invalid');
    expect(final).not.toHaveBeenCalled();
  });

  it('refuses a second next() so a message cannot be dispatched twice', async () => {
    const final = jest.fn(async () => 1);
    const twice: PipelineBehaviour = async (_ctx, next) => {
      await next();
      return next();
    };
    await expect(runPipeline([twice], context(), final)).rejects.toThrow('twice');
    expect(final).toHaveBeenCalledTimes(1);
  });
});
