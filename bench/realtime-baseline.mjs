#!/usr/bin/env node
// The realtime bench's baseline: the least any design does to get a customer's message from Meta's
// webhook to an agent's screen served by another process, as two bare Node processes.
//   receiver: checks the webhook's signature, stores the body with one INSERT, answers 200, then
//             publishes the message's id over Redis;
//   agent:    a bare Socket.io server that hands what Redis carries to its clients as `message.created`.
// Started by bench/realtime.mjs: `node bench/realtime-baseline.mjs receiver|agent` with PORT,
// DATABASE_URL, REDIS_URL, APP_SECRET and CHANNEL in the environment. Both answer GET /health.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import Redis from 'ioredis';
import pg from 'pg';
import { Server } from 'socket.io';

const { PORT, DATABASE_URL, REDIS_URL = 'redis://127.0.0.1:6379', APP_SECRET, CHANNEL } = process.env;
const role = process.argv[2];

const health = (req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end();

function receiver() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  const redis = new Redis(REDIS_URL);
  return createServer((req, res) => {
    if (req.method !== 'POST') return health(req, res);
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.writeHead(401).end();
      try {
        await pool.query('INSERT INTO baseline_events (payload) VALUES ($1)', [raw.toString('utf8')]);
      } catch {
        return res.writeHead(503).end();
      }
      res.writeHead(200).end();
      const [message] = JSON.parse(raw.toString('utf8')).entry[0].changes[0].value.messages;
      await redis.publish(CHANNEL, JSON.stringify({ waMessageId: message.id }));
    });
  });
}

async function agent() {
  const server = createServer(health);
  const io = new Server(server, { transports: ['websocket'] });
  const subscriber = new Redis(REDIS_URL);
  subscriber.on('message', (_channel, message) => io.emit('message.created', JSON.parse(message)));
  await subscriber.subscribe(CHANNEL);
  return server;
}

const roles = { receiver, agent };
if (!roles[role]) throw new Error(`usage: realtime-baseline.mjs ${Object.keys(roles).join('|')}`);
(await roles[role]()).listen(Number(PORT), '127.0.0.1');
