// A TCP proxy in front of a real server, for outage tests that must not stop the server itself
// (it is shared with other suites): `cut()` closes the listener and resets every connection, as
// a server that stops does (new connections are refused); `restore()` listens on the same port
// again, as the server coming back.
import { createServer, type Server, Socket } from 'node:net';
import { freePort } from '../../support/service';

export interface FaultProxy {
  host: string;
  port: number;
  /** Connections refused and open ones reset, until `restore()`. */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function faultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  const port = await freePort();
  const open = new Set<Socket>();
  let server: Server | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = new Socket();
        open.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        upstream.connect(targetPort, targetHost, () => {
          client.pipe(upstream);
          upstream.pipe(client);
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve();
      });
    });
  const stop = async () => {
    const s = server;
    server = undefined;
    for (const socket of open) {
      if (socket.connecting || socket.destroyed) socket.destroy();
      else socket.resetAndDestroy();
    }
    open.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    host: '127.0.0.1',
    port,
    cut: stop,
    restore: listen,
    close: stop,
  };
}
