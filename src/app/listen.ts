/**
 * Binds the HTTP port first of all, before the database is touched or the first administrator's password is
 * printed, so a busy port is one clear line naming PORT and nothing else happened. Requests that arrive before the
 * app is attached get 503.
 */
import http, { type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartError } from './start-error.js';

export interface BoundPort {
  server: Server;
  port: number;
  /** Hands every request to the app from now on. */
  attach(app: RequestListener): void;
  close(): Promise<void>;
}

export function bindPort(port: number, host: string): Promise<BoundPort> {
  let handler: RequestListener | null = null;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '2' }).end('Dịch vụ đang khởi động, xin thử lại sau giây lát.');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(portError(e, port, host)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        attach(app) {
          handler = app;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function portError(e: NodeJS.ErrnoException, port: number, host: string): StartError {
  const where = `${host}:${port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new StartError('PORT', `PORT: ${where} is already in use by another process; stop it or set PORT to a free port`, { cause: e });
    case 'EACCES':
      return new StartError('PORT', `PORT: not allowed to listen on ${where} (ports below 1024 need privileges); set PORT to 1024 or above`, { cause: e });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartError('HOST', `HOST: ${host} is not an address of this machine; set HOST to 0.0.0.0, 127.0.0.1 or one of its addresses`, { cause: e });
    default:
      return new StartError('PORT', `PORT: cannot listen on ${where}: ${e.message}`, { cause: e });
  }
}
