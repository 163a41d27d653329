#!/usr/bin/env node
// The realtime bench's baseline: the least the platform's path does to get a customer's message
// from Meta's webhook to an agent's screen served by another process, as three bare Node processes:
//   receiver: checks the webhook's signature, stores the body with one INSERT, answers 200, then
//             tells the worker the stored row's id over Redis;
//   worker:   reads the message's id out of the stored row (one SELECT by primary key) and
//             publishes it over Redis;
//   agent:    a bare Socket.io server that hands what Redis carries to its clients as `message.created`.
// Started by bench/realtime.mjs: `node bench/realtime-baseline.mjs receiver|worker|agent` with PORT
// (each answers GET /health there once ready), DATABASE_URL, REDIS_URL, APP_SECRET and CHANNEL.
import { createServer } from 'node:http';
import Redis from 'ioredis';
import pg from 'pg';
import { Server } from 'socket.io';
import { signedWebhooks } from './platform.mjs';

const { PORT, DATABASE_URL, REDIS_URL = 'redis://127.0.0.1:6379', APP_SECRET, CHANNEL } = process.env;
const STORED = `${CHANNEL}:stored`;
const CREATED = `${CHANNEL}:created`;
const role = process.argv[2];

const health = (req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end();

/** A Redis connection subscribed to `channel`, handing each message to `handle`. */
async function subscribe(channel, handle) {
  const subscriber = new Redis(REDIS_URL);
  subscriber.on('message', (_channel, message) => handle(message));
  await subscriber.subscribe(channel);
}

function receiver() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  const redis = new Redis(REDIS_URL);
  const webhooks = signedWebhooks(APP_SECRET, async (raw, res) => {
    let id;
    try {
      const sql = 'INSERT INTO baseline_events (payload) VALUES ($1) RETURNING id';
      ({ id } = (await pool.query(sql, [raw.toString('utf8')])).rows[0]);
    } catch {
      return res.writeHead(503).end();
    }
    res.writeHead(200).end();
    await redis.publish(STORED, String(id));
  });
  const server = createServer((req, res) => (req.method === 'POST' ? webhooks(req, res) : health(req, res)));
  return server.listen(Number(PORT), '127.0.0.1');
}

async function worker() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  const redis = new Redis(REDIS_URL);
  await subscribe(STORED, async (id) => {
    const { rows } = await pool.query(
      `SELECT payload #>> '{entry,0,changes,0,value,messages,0,id}' AS "waMessageId" FROM baseline_events WHERE id = $1`,
      [id],
    );
    await redis.publish(CREATED, JSON.stringify(rows[0]));
  });
  createServer(health).listen(Number(PORT), '127.0.0.1');
}

async function agent() {
  const server = createServer(health);
  const io = new Server(server, { transports: ['websocket'] });
  await subscribe(CREATED, (message) => io.emit('message.created', JSON.parse(message)));
  server.listen(Number(PORT), '127.0.0.1');
}

const roles = { receiver, worker, agent };
if (!roles[role]) throw new Error(`usage: realtime-baseline.mjs ${Object.keys(roles).join('|')}`);
await roles[role]();
