import type { ApolloClient } from '@apollo/client';
import type { RestoreDashboardQuery, SessionStatusFragment, SiteRestoreArtifactInput } from '../src/generated/example/graphql.js';
import {
  activateRestoreMutation,
  createRestoreMutation,
  followRestoreSubscription,
  newestRestorePointsQuery,
  protectedSitesQuery,
  restoreDashboardQuery,
} from './operations.js';

/**
 * What a restore screen does, with the typed documents codegen made from ./operations.ts: show the dashboard, pick
 * restore points, create and activate a restore, and follow it to its end. Every result type comes from the
 * documents; nothing here names a type by hand.
 */

export type Dashboard = NonNullable<RestoreDashboardQuery['restoreSessions']>;

/** The first page of the restore dashboard: sessions of every family, the first sites of each SharePoint one. */
export async function loadDashboard(client: ApolloClient, first = 10): Promise<Dashboard> {
  const { data } = await client.query({ query: restoreDashboardQuery, variables: { first } });
  if (!data?.restoreSessions) throw new Error('the gateway could not list the restore sessions');
  return data.restoreSessions;
}

export interface PickedRestorePoint {
  siteName: string | null;
  protectionUnitId: string;
  restorePointId: string;
}

/** The newest restore point of each of the first `sites` protected sites, the way a user picks them. */
export async function pickRestorePoints(client: ApolloClient, sites: number): Promise<PickedRestorePoint[]> {
  const { data } = await client.query({ query: protectedSitesQuery, variables: { first: sites } });
  const units = data?.siteProtectionUnits?.nodes ?? [];
  return Promise.all(
    units.map(async (unit) => {
      const points = await client.query({ query: newestRestorePointsQuery, variables: { protectionUnitId: unit.id } });
      const newest = points.data?.restorePoints?.[0];
      if (!newest) throw new Error(`site ${unit.siteName ?? unit.id} has no restore point`);
      return { siteName: unit.siteName, protectionUnitId: unit.id, restorePointId: newest.id };
    }),
  );
}

export interface StartedRestore {
  /** The session as created: a `DRAFT` with one artifact per restore point. */
  created: SessionStatusFragment & { artifacts: number | null };
  /** The session as activated: normally `ACTIVATING`. */
  activated: SessionStatusFragment;
}

/** Creates a SharePoint restore session that restores each restore point in place, and activates it. */
export async function createAndActivate(client: ApolloClient, restorePointIds: readonly string[]): Promise<StartedRestore> {
  const siteRestoreArtifacts = restorePointIds.map((restorePointId): SiteRestoreArtifactInput => ({
    restorePointId,
    destinationType: 'IN_PLACE',
  }));
  const created = await client.mutate({ mutation: createRestoreMutation, variables: { input: { siteRestoreArtifacts } } });
  const session = created.data?.createSharePointRestoreSession?.restoreSession;
  if (!session) throw new Error('the gateway answered the create without a session');
  const activated = await client.mutate({ mutation: activateRestoreMutation, variables: { id: session.id } });
  const active = activated.data?.activateRestoreSession?.restoreSession;
  if (!active) throw new Error('the gateway answered the activation without a session');
  return { created: { ...session, artifacts: session.siteRestoreArtifacts?.totalCount ?? null }, activated: active };
}

export interface FollowOptions {
  /** Called with each event as it arrives: the session's current state first, then each change. */
  onEvent?: (session: SessionStatusFragment) => void;
}

/**
 * Follows a restore session over the client's subscription transport until the gateway completes the subscription
 * (after a terminal status). Resolves with every state it saw; rejects with the error, whose gateway code `errorCode`
 * reads, when the subscription fails (an unknown session is `NOT_FOUND`, an expired token `UNAUTHENTICATED`).
 */
export function followRestore(client: ApolloClient, id: string, { onEvent }: FollowOptions = {}): Promise<SessionStatusFragment[]> {
  const events: SessionStatusFragment[] = [];
  return new Promise((resolve, reject) => {
    const subscription = client.subscribe({ query: followRestoreSubscription, variables: { id } }).subscribe({
      next({ data, error }) {
        if (error) {
          subscription.unsubscribe();
          reject(error);
          return;
        }
        if (!data) return;
        events.push(data.restoreSessionStatusChanged);
        onEvent?.(data.restoreSessionStatusChanged);
      },
      error: reject,
      complete: () => resolve(events),
    });
  });
}
