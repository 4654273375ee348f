// The peer `npm run bench:webhook` compares against: the naive express bot with no storage (express 5, raw body for the
// signature check, 200 at once, one axios call per message to the Send API), as the shared harness's express-minimal.
// Run as its own process so its CPU and memory are measured apart: node bench/echo-bot.mjs (PORT, APP_SECRET, GRAPH_ORIGIN).
import { createHmac, timingSafeEqual } from 'node:crypto';
import axios from 'axios';
import express from 'express';

const { PORT = '0', APP_SECRET = 'bench-app-secret', GRAPH_ORIGIN = 'http://127.0.0.1:9400', VERIFY_TOKEN = 'bench-verify-token' } = process.env;
const app = express();
app.get('/webhook', (req, res) => {
  if (req.query['hub.verify_token'] === VERIFY_TOKEN) res.send(String(req.query['hub.challenge'] ?? ''));
  else res.sendStatus(403);
});
app.post(
  '/webhook',
  express.json({ verify: (req, _res, buf) => void (req.rawBody = buf) }),
  (req, res) => {
    const expected = Buffer.from('sha256=' + createHmac('sha256', APP_SECRET).update(req.rawBody ?? '').digest('hex'));
    const given = Buffer.from(req.get('x-hub-signature-256') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.sendStatus(403);
    res.status(200).send('EVENT_RECEIVED');
    for (const entry of req.body.entry ?? [])
      for (const m of entry.messaging ?? []) {
        if (!m.message?.text) continue;
        axios
          .post(`${GRAPH_ORIGIN}/v25.0/me/messages`, { recipient: { id: m.sender.id }, messaging_type: 'RESPONSE', message: { text: m.message.text } }, { params: { access_token: 'bench' } })
          .catch(() => {});
      }
  },
);
const server = app.listen(Number(PORT), '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
