/** One command type: its payload class, whether it changes state (audited), and its one call. */
export interface Operation<T extends object = object> {
  payload: new () => T;
  audited: boolean;
  run(payload: T): Promise<unknown>;
}

export const operation = <T extends object>(
  payload: new () => T,
  audited: boolean,
  run: (payload: T) => Promise<unknown>,
): Operation => ({ payload, audited, run: run as Operation['run'] });
