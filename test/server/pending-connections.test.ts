import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, createPendingConnections } from '../../src/server/pending-connections.js';

/** An upgrade request whose socket can be closed by the test. */
function upgrade(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage & { close(): void } {
  const socket = Object.assign(new EventEmitter(), { remoteAddress });
  const req = { socket, headers, connection: socket } as unknown as IncomingMessage & { close(): void };
  req.close = () => socket.emit('close');
  return req;
}

describe('pending connections', () => {
  it('caps sockets per address and in total, and counts a socket out once, when settled or closed', () => {
    const pending = createPendingConnections({ maxTotal: 3, maxPerAddress: 2 });
    const a1 = upgrade('10.0.0.1');
    const a2 = upgrade('10.0.0.1');
    expect(pending.admit(a1, '10.0.0.1')).toEqual({ ok: true });
    expect(pending.admit(a2, '10.0.0.1')).toEqual({ ok: true });
    expect(pending.admit(upgrade('10.0.0.1'), '10.0.0.1')).toMatchObject({ ok: false, status: 429 });
    const b1 = upgrade('10.0.0.2');
    expect(pending.admit(b1, '10.0.0.2')).toEqual({ ok: true });
    expect(pending.admit(upgrade('10.0.0.3'), '10.0.0.3')).toMatchObject({ ok: false, status: 503 });
    expect(pending.count()).toBe(3);

    // connection_init decided: counted out; its later close changes nothing.
    pending.settle(a1);
    pending.settle(a1);
    a1.close();
    expect(pending.count('10.0.0.1')).toBe(1);
    // A socket that goes away without a connection_init is counted out too.
    b1.close();
    expect(pending.count()).toBe(1);
    expect(pending.admit(upgrade('10.0.0.3'), '10.0.0.3')).toEqual({ ok: true });
    expect(pending.admit(upgrade('10.0.0.1'), '10.0.0.1')).toEqual({ ok: true });
    expect(pending.count()).toBe(3);
  });
});

describe('client address', () => {
  it("is the socket's peer unless TRUST_PROXY names the proxy, and ignores X-Forwarded-For otherwise", () => {
    const viaProxy = upgrade('127.0.0.1', { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' });
    expect(clientAddressOf(undefined)(viaProxy)).toBe('127.0.0.1');
    // One trusted hop: the address the proxy saw.
    expect(clientAddressOf(1)(viaProxy)).toBe('198.51.100.7');
    expect(clientAddressOf(2)(viaProxy)).toBe('203.0.113.9');
    expect(clientAddressOf(['loopback'])(viaProxy)).toBe('198.51.100.7');
    // A peer that is not a trusted proxy names itself, whatever it claims.
    expect(clientAddressOf(['10.0.0.0/8'])(viaProxy)).toBe('127.0.0.1');
    expect(clientAddressOf(undefined)(upgrade('::ffff:192.0.2.1'))).toBe('192.0.2.1');
  });
});
