import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@mediator/config';
import { createPinoLogger, LazyRequestLogger } from './logger';

function configWith(logging: AppConfig['logging']): AppConfig {
  return { name: 'svc', version: '9.9.9', logging } as AppConfig;
}

describe('createPinoLogger (logging.format, logging.output)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logs-'));

  it('writes JSON lines to a file path, creating its directory', () => {
    const file = join(dir, 'nested', 'json.log');
    createPinoLogger(configWith({ level: 'info', format: 'json', output: file })).info(
      { port: 1 },
      'hello json',
    );
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'hello json', port: 1, service: 'svc', level: 30 });
  });

  it('writes pino-pretty lines with format: pretty', () => {
    const file = join(dir, 'pretty.log');
    createPinoLogger(configWith({ level: 'info', format: 'pretty', output: file })).warn(
      { port: 2 },
      'hello pretty',
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/WARN.*: hello pretty/);
    expect(text).toMatch(/port: 2/);
    expect(() => JSON.parse(text)).toThrow();
  });
});

describe('LazyRequestLogger (request.log)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lazy-logs-'));

  it('makes its pino child on first use only, with the request binding', () => {
    const file = join(dir, 'lazy.log');
    const parent = createPinoLogger(configWith({ level: 'info', format: 'json', output: file }));
    const child = jest.spyOn(parent, 'child');
    const log = LazyRequestLogger.factory(parent, { reqId: 'r-1' }, {});
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('info');
    log.warn({ port: 3 }, 'lazy hello');
    log.info('again');
    expect(child).toHaveBeenCalledTimes(1);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ reqId: 'r-1', port: 3, msg: 'lazy hello', level: 40 }),
      expect.objectContaining({ reqId: 'r-1', msg: 'again', level: 30 }),
    ]);
  });
});
