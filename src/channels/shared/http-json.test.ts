import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestJson, TransportError } from './http-json.js';

describe('requestJson', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  const serve = async (handler: http.RequestListener) => {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it('sends JSON or a form and parses JSON answers of any status', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(req.url === '/bad' ? 400 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: req.headers['content-type'], body }));
      });
    });
    const ok = await requestJson({ method: 'POST', url: `${url}/x`, json: { a: 'ấ' }, timeoutMs: 2000 });
    expect(ok).toMatchObject({ status: 200, body: { type: 'application/json; charset=utf-8', body: '{"a":"ấ"}' } });
    const bad = await requestJson({ method: 'POST', url: `${url}/bad`, form: { refresh_token: 'r t', app_id: '1' }, timeoutMs: 2000 });
    expect(bad).toMatchObject({ status: 400, body: { type: 'application/x-www-form-urlencoded', body: 'refresh_token=r+t&app_id=1' } });
  });

  it('tells a request that never left (refused) from one without an answer (timeout after sending)', async () => {
    const refused = await requestJson({ method: 'POST', url: 'http://127.0.0.1:9/x', json: {}, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransportError);
    expect(refused).toMatchObject({ written: false, code: 'ECONNREFUSED' });
    const url = await serve(() => {
      /* never answers */
    });
    const silent = await requestJson({ method: 'POST', url, json: { x: 1 }, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(silent).toMatchObject({ written: true, code: 'ETIMEDOUT' });
  });
});
