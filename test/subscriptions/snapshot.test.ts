import { describe, expect, it } from 'vitest';
import type { GraphRestoreSession, SessionScopedRestoreArtifact, SessionScopedSiteRestoreArtifact } from '../../src/graph/dto.js';
import {
  artifactFamilyOf,
  artifactKey,
  artifactMark,
  decodeMessage,
  encodeMessage,
  GONE_MARK,
  isNews,
  isTerminalSession,
  sessionKey,
  sessionMark,
} from '../../src/subscriptions/snapshot.js';

const session = (
  status: string,
  counts?: Partial<{ total: number; inProgress: number; completed: number; failed: number }>,
): GraphRestoreSession => ({
  id: 'S1',
  status,
  restoreSessionArtifactCount: { total: 3, inProgress: 0, completed: 0, failed: 0, ...counts },
});
const artifact = (status: string): SessionScopedSiteRestoreArtifact => ({
  id: 'a1',
  restoreSessionId: 's1',
  status,
  destinationType: 'inPlace',
});

describe('session marks', () => {
  it('change with the status or any artifact count, and with nothing else', () => {
    const a = sessionMark(session('active', { inProgress: 3 }));
    expect(sessionMark({ ...session('active', { inProgress: 3 }), lastModifiedDateTime: '2025-06-02T09:00:05Z' })).toEqual(a);
    expect(sessionMark(session('active', { inProgress: 2, completed: 1 })).fingerprint).not.toBe(a.fingerprint);
    expect(sessionMark(session('completed', { completed: 3 })).fingerprint).not.toBe(a.fingerprint);
  });

  it('rank the lifecycle so an older snapshot never counts as news after a newer one', () => {
    const draft = sessionMark(session('draft'));
    const activating = sessionMark(session('activating', { inProgress: 3 }));
    const active1 = sessionMark(session('active', { inProgress: 2, completed: 1 }));
    const active2 = sessionMark(session('active', { inProgress: 1, completed: 1, failed: 1 }));
    const done = sessionMark(session('completedWithError', { completed: 2, failed: 1 }));
    expect(isNews(undefined, draft)).toBe(true);
    expect(isNews(draft, activating)).toBe(true);
    expect(isNews(activating, active1)).toBe(true);
    expect(isNews(active1, active2)).toBe(true);
    expect(isNews(active2, active1)).toBe(false);
    expect(isNews(done, active2)).toBe(false);
    expect(isNews(done, done)).toBe(false);
    expect(isNews(done, GONE_MARK)).toBe(true);
    // A draft losing an artifact is a change of the same rank.
    expect(isNews(draft, sessionMark(session('draft', { total: 2 })))).toBe(true);
  });

  it('treat an unknown future status as possibly running, never terminal', () => {
    const unknown = session('someNewStatus');
    expect(isTerminalSession(unknown)).toBe(false);
    expect(sessionMark(unknown).fingerprint.startsWith('UNKNOWN_FUTURE_VALUE|')).toBe(true);
    expect(isNews(sessionMark(unknown), sessionMark(session('completed', { completed: 3 })))).toBe(true);
    expect(isTerminalSession(session('failed'))).toBe(true);
    expect(isTerminalSession(session('completedWithError'))).toBe(true);
  });

  it("name their artifacts' family by @odata.type (a plain read may leave it out), and none for a family the gateway does not know", () => {
    const typed = (type: string | undefined): GraphRestoreSession => ({ ...session('active'), '@odata.type': type });
    expect(artifactFamilyOf(typed(undefined))).toBe('site');
    expect(artifactFamilyOf(typed('#microsoft.graph.sharepointRestoreSession'))).toBe('site');
    expect(artifactFamilyOf(typed('#microsoft.graph.exchangeRestoreSession'))).toBe('mailbox');
    expect(artifactFamilyOf(typed('microsoft.graph.oneDriveForBusinessRestoreSession'))).toBe('drive');
    expect(artifactFamilyOf(typed('#microsoft.graph.teamsRestoreSession'))).toBeUndefined();
  });
});

const ofFamily = (family: 'mailbox' | 'drive', id = 'a1'): SessionScopedRestoreArtifact => ({
  ...artifact('inProgress'),
  id,
  restoreArtifactFamily: family,
});

describe('artifact keys', () => {
  it('tell families apart (ids are unique only within a session), and ignore the case of ids', () => {
    const keys = [artifactKey(artifact('added')), artifactKey(ofFamily('mailbox')), artifactKey(ofFamily('drive'))];
    expect(new Set(keys).size).toBe(3);
    // Site artifacts keep the key their records always had.
    expect(keys[0]).toBe('a:a1');
    expect(artifactKey({ ...artifact('added'), id: 'A1' })).toBe(keys[0]);
    expect(artifactKey(ofFamily('mailbox', 'A1'))).toBe(keys[1]);
    // No site id spells another family's key.
    expect(artifactKey({ ...artifact('added'), id: 'mailbox:a1' })).not.toBe(keys[1]);
    expect(artifactKey({ ...artifact('added'), restoreArtifactFamily: 'site' })).toBe(keys[0]);
  });
});

describe('artifact marks', () => {
  it('follow the artifact lifecycle', () => {
    const order = ['added', 'scheduling', 'scheduled', 'inProgress', 'succeeded'].map((s) => artifactMark(artifact(s)));
    for (let i = 1; i < order.length; i++) expect(isNews(order[i - 1], order[i]!)).toBe(true);
    expect(isNews(artifactMark(artifact('failed')), artifactMark(artifact('inProgress')))).toBe(false);
  });
});

describe('messages', () => {
  it('round-trip, and anything malformed is ignored', () => {
    const m = { kind: 'session', session: session('active') } as const;
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
    expect(decodeMessage(encodeMessage({ kind: 'gone', sessionId: 's' }))).toEqual({ kind: 'gone', sessionId: 's' });
    // The family marker survives the trip, so a mailbox artifact from Redis still resolves to MailboxRestoreArtifact.
    const mailbox = { kind: 'artifact', artifact: ofFamily('mailbox') } as const;
    expect(decodeMessage(encodeMessage(mailbox))).toEqual(mailbox);
    const site = { kind: 'artifact', artifact: artifact('failed') } as const;
    expect(decodeMessage(encodeMessage(site))).toEqual(site);
    const unknownFamily = '{"kind":"artifact","artifact":{"id":"a","restoreSessionId":"s","restoreArtifactFamily":"granular"}}';
    for (const bad of [
      '',
      'null',
      '{"kind":"session"}',
      '{"kind":"artifact","artifact":{"id":"a"}}',
      unknownFamily,
      '{"kind":"other"}',
      '[1]',
    ]) {
      expect(decodeMessage(bad), bad).toBeUndefined();
    }
  });

  it('key sessions case-insensitively, as Graph matches ids', () => {
    expect(sessionKey('ABC-def')).toBe(sessionKey('abc-DEF'));
  });
});
