import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestEmulator } from '@restore-session-gateway/graph-emulator/testing';
import type { Gateway } from '../../src/gateway.js';
import { gatewayConfig, startGatewayOn } from './harness.js';

/**
 * What a client may send before it is authenticated: WebSocket messages (WS_MAX_MESSAGE_BYTES), sockets waiting for
 * their connection_init (WS_MAX_PENDING_CONNECTIONS, WS_MAX_PENDING_PER_ADDRESS, TRUST_PROXY), HTTP bodies
 * (MAX_REQUEST_BYTES); and the development landing page, which carries its token only for a loopback Host.
 */

const t = useTestEmulator();
const gateways: Gateway[] = [];
const sockets: WebSocket[] = [];
afterAll(async () => {
  for (const s of sockets) s.terminate();
  for (const g of gateways) await g.stop();
});

/** A gateway listening where its configuration says (no host of the test's own: the last test checks the default). */
async function gateway(env: Record<string, string>, sandboxHeaders?: Record<string, string>): Promise<Gateway> {
  const g = await startGatewayOn(t, gatewayConfig(env), { sandboxHeaders });
  gateways.push(g);
  return g;
}

const wsUrl = (g: Gateway): string => `ws://127.0.0.1:${g.port}/graphql`;

type Opened = { socket: WebSocket; outcome: Promise<{ open: true } | { open: false; status: number }> };

/** A raw graphql-transport-ws socket, not yet initialised: opened, or refused at the upgrade with an HTTP status. */
function rawSocket(url: string, headers: Record<string, string> = {}): Opened {
  const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
  sockets.push(socket);
  const outcome = new Promise<{ open: true } | { open: false; status: number }>((resolve, reject) => {
    socket.once('open', () => resolve({ open: true }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ open: false, status: res.statusCode ?? 0 });
      res.resume();
    });
    socket.once('error', reject);
  });
  return { socket, outcome };
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Sends connection_init and waits for the answer (ack, or a close). */
function init(socket: WebSocket, payload: unknown): Promise<string> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve((JSON.parse(data.toString()) as { type: string }).type));
    socket.once('close', (code) => resolve(`closed ${code}`));
    socket.send(JSON.stringify({ type: 'connection_init', payload }));
  });
}

describe('WebSocket messages', () => {
  it('bigger than WS_MAX_MESSAGE_BYTES close the socket with 1009 before authentication; smaller ones are served', async () => {
    const g = await gateway({ WS_MAX_MESSAGE_BYTES: '4096' });
    const big = rawSocket(wsUrl(g));
    expect(await big.outcome).toEqual({ open: true });
    const end = closed(big.socket);
    big.socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(1_000_000) } }));
    expect((await end).code).toBe(1009);

    const fine = rawSocket(wsUrl(g));
    await fine.outcome;
    expect(await init(fine.socket, { authorization: `Bearer ${await t.apiToken('admin')}` })).toBe('connection_ack');
  });
});

describe('sockets waiting for connection_init', () => {
  it('are capped per address (429) and in total (503), and counted out once their connection_init is decided', async () => {
    const g = await gateway({ WS_MAX_PENDING_PER_ADDRESS: '2', WS_MAX_PENDING_CONNECTIONS: '3' });
    const first = rawSocket(wsUrl(g));
    const second = rawSocket(wsUrl(g));
    expect(await first.outcome).toEqual({ open: true });
    expect(await second.outcome).toEqual({ open: true });
    expect(await rawSocket(wsUrl(g)).outcome).toEqual({ open: false, status: 429 });

    // An admitted socket no longer waits; a refused one is gone once it closes (after a grace in which it refuses
    // each subscription with a result): both make room.
    expect(await init(first.socket, { authorization: `Bearer ${await t.apiToken('admin')}` })).toBe('connection_ack');
    const refusedClose = closed(second.socket);
    expect(await init(second.socket, { authorization: 'Bearer nope' })).toBe('connection_ack');
    expect((await refusedClose).code).toBe(4401);
    const again = [rawSocket(wsUrl(g)), rawSocket(wsUrl(g))];
    for (const s of again) expect(await s.outcome).toEqual({ open: true });
    // A socket that goes away without a word is counted out too.
    const gone = closed(again[0]!.socket);
    again[0]!.socket.terminate();
    await gone;
    await expect.poll(async () => (await rawSocket(wsUrl(g)).outcome).open, { timeout: 2_000 }).toBe(true);
  });

  it('count forwarded client addresses only behind a proxy TRUST_PROXY names', async () => {
    const trusting = await gateway({ WS_MAX_PENDING_PER_ADDRESS: '1', WS_MAX_PENDING_CONNECTIONS: '2', TRUST_PROXY: 'loopback' });
    const from = (address: string): Opened => rawSocket(wsUrl(trusting), { 'x-forwarded-for': address });
    expect(await from('203.0.113.1').outcome).toEqual({ open: true });
    expect(await from('203.0.113.1').outcome).toEqual({ open: false, status: 429 });
    expect(await from('203.0.113.2').outcome).toEqual({ open: true });
    expect(await from('203.0.113.3').outcome).toEqual({ open: false, status: 503 });

    // Without TRUST_PROXY the header is the client's own claim: every socket counts as the peer's.
    const plain = await gateway({ WS_MAX_PENDING_PER_ADDRESS: '1', WS_MAX_PENDING_CONNECTIONS: '2' });
    expect(await rawSocket(wsUrl(plain), { 'x-forwarded-for': '203.0.113.1' }).outcome).toEqual({ open: true });
    expect(await rawSocket(wsUrl(plain), { 'x-forwarded-for': '203.0.113.2' }).outcome).toEqual({ open: false, status: 429 });
  });
});

describe('HTTP bodies', () => {
  it('declared bigger than MAX_REQUEST_BYTES are refused with 413 before a byte of them is sent', async () => {
    const g = await gateway({ MAX_REQUEST_BYTES: '2048' });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`http://127.0.0.1:${g.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // Headers only: the gateway must answer without waiting for the 50 MiB it was promised.
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      errors: [{ message: 'The request body is larger than 2048 bytes (MAX_REQUEST_BYTES).', extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('the development landing page', () => {
  it('presets its token only for a request whose Host names the loopback interface', async () => {
    const g = await gateway({}, { Authorization: 'Bearer dev-token-for-sandbox' });
    const page = (host: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${g.port}/graphql`, { headers: { host, accept: 'text/html' } }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    for (const host of [`localhost:${g.port}`, `127.0.0.1:${g.port}`, `[::1]:${g.port}`, 'localhost']) {
      const res = await page(host);
      expect(res.status, host).toBe(200);
      expect(res.body, host).toContain('dev-token-for-sandbox');
    }
    // A DNS-rebound name (or a LAN address) reaching this machine gets Sandbox without the token.
    for (const host of [`rebind.attacker.example:${g.port}`, `192.168.1.20:${g.port}`, `localhost.attacker.example:${g.port}`]) {
      const res = await page(host);
      expect(res.status, host).toBe(200);
      expect(res.body, host).toContain('embedded-sandbox');
      expect(res.body, host).not.toContain('dev-token-for-sandbox');
    }
  });

  it('listens on loopback only in development', async () => {
    const g = await gateway({});
    expect(g.server.httpServer.address()).toMatchObject({ address: '127.0.0.1' });
  });
});
