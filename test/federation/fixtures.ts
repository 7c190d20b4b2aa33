import { defaultSeed, stableGuid, type SeedFixture, type SeedSession } from '@restore-session-gateway/graph-emulator';
import { createAuditSubgraph } from './subgraphs/audit.js';
import { createDirectorySubgraph } from './subgraphs/directory.js';
import { createSitesSubgraph } from './subgraphs/sites.js';
import { createTicketsSubgraph } from './subgraphs/tickets.js';
import type { TestSubgraph } from './subgraphs/types.js';

/** How many extra SharePoint sessions the entity-fetch test asks the gateway subgraph for at once. */
export const REVIEW_SESSION_COUNT = 100;

/**
 * The emulator's default seed plus `REVIEW_SESSION_COUNT` empty draft SharePoint sessions, created by
 * the seeded users in turn, so a router can ask for 100 entities in one `_entities` fetch.
 */
export function federationSeed(): SeedFixture {
  const seed = defaultSeed();
  const start = Date.parse(seed.clockStart);
  const users = seed.users.filter((user) => user.name !== 'noconsent');
  const extra: SeedSession[] = Array.from({ length: REVIEW_SESSION_COUNT }, (_, i) => ({
    id: reviewSessionId(i),
    kind: 'sharePoint',
    createdBy: users[i % users.length]?.name ?? 'admin',
    createdDateTime: new Date(start - (i + 1) * 60_000).toISOString(),
    activatedDateTime: null,
    artifacts: [],
  }));
  return { ...seed, sessions: [...seed.sessions, ...extra] };
}

/** The sessions the audit subgraph holds notes for. */
export function auditedSessions(seed: SeedFixture): SeedSession[] {
  const first = (kind: SeedSession['kind']): SeedSession => {
    const session = seed.sessions.find((candidate) => candidate.kind === kind);
    if (!session) throw new Error(`the seed has no ${kind} session`);
    return session;
  };
  return [first('sharePoint'), first('exchange')];
}

/** The SharePoint sessions the ticketing subgraph holds a ticket for, in ticket order. */
export function ticketedSessions(seed: SeedFixture): SeedSession[] {
  return seed.sessions.filter((session) => session.kind === 'sharePoint').slice(0, 3);
}

export function reviewSessionId(index: number): string {
  return stableGuid(`federation-review-session:${index}`);
}

/**
 * The four subgraphs a platform team might run next to this one, filled from the same seed the
 * emulator serves, so cross-subgraph answers can be checked against Graph's own data.
 */
export function createTestSubgraphs(seed: SeedFixture, sessionIdsUnderReview: string[]): TestSubgraph[] {
  return [
    createTicketsSubgraph({
      tickets: ticketedSessions(seed).map((session, i) => ({
        id: `TCK-${1001 + i}`,
        title: `Restore request ${i + 1}`,
        restoreSessionId: session.id,
      })),
      sessionIdsUnderReview,
    }),
    createAuditSubgraph({
      // One SharePoint and one Exchange session, so resolving the interface's references to their
      // concrete types is exercised for more than one implementation.
      notes: auditedSessions(seed).map((session) => ({
        restoreSessionId: session.id,
        author: 'compliance-bot',
        text: `Reviewed ${session.kind} restore session ${session.id}`,
      })),
    }),
    createDirectorySubgraph(seed.users.map((user) => ({ id: user.id, displayName: user.displayName, mail: user.email }))),
    createSitesSubgraph(seed.protectionUnits.map((unit) => ({ id: unit.siteId, displayName: unit.siteName, webUrl: unit.siteWebUrl }))),
  ];
}
