import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@mediator/config';
import { createPinoLogger } from './logger';

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
