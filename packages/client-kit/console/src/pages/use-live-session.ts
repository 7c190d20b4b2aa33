import { skipToken, useLazyQuery, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import type { ArtifactRowFragment, ConsoleSessionQuery } from '../../../src/generated/console/graphql';
import { followArtifactsSubscription, followSessionSubscription, sessionArtifactsQuery, sessionQuery } from '../operations';

export type Session = NonNullable<ConsoleSessionQuery['restoreSession']>;

const ARTIFACTS_SHOWN = 100;

/** The session's artifacts, whatever its family: each family's connection has its own field. */
export function artifactsOf(session: Session): { nodes: ArtifactRowFragment[]; totalCount: number | null } | null {
  switch (session.__typename) {
    case 'SharePointRestoreSession':
      return session.siteRestoreArtifacts;
    case 'ExchangeRestoreSession':
      return session.mailboxRestoreArtifacts;
    case 'OneDriveForBusinessRestoreSession':
      return session.driveRestoreArtifacts;
  }
}

/**
 * One session and its artifacts, kept current while it runs by two subscriptions that write into the cache entries
 * the page reads (keyed as the kit's type policies say), so the page renders only what the cache holds:
 *
 * - `restoreSessionStatusChanged` sends the session as it is, then each change, and ends after the terminal status;
 * - `restoreArtifactStatusChanged` sends each artifact whose status changed after the gateway took its baseline. It is
 *   followed until it ends by itself, not stopped at the session's terminal status: the two streams are not ordered
 *   with each other, and the artifacts' last events may arrive after the session's. Should it end with an artifact
 *   still not final (it changed before the baseline, while the subscription was on its way), the artifacts are read
 *   once more.
 */
export function useLiveSession(id: string) {
  const { data, error, loading } = useQuery(sessionQuery, { variables: { id, first: ARTIFACTS_SHOWN }, fetchPolicy: 'cache-and-network' });
  const session = data?.restoreSession ?? undefined;
  // Whether the session was still running when the page first had it: then its artifacts are followed to their end.
  const [follow, setFollow] = useState<boolean>();
  useEffect(() => {
    if (session && follow === undefined) setFollow(!session.isTerminal);
  }, [session, follow]);
  const sessionEvents = useSubscription(followSessionSubscription, session && !session.isTerminal ? { variables: { id } } : skipToken);
  const [artifactsEnded, setArtifactsEnded] = useState(false);
  const artifactEvents = useSubscription(
    followArtifactsSubscription,
    follow ? { variables: { restoreSessionId: id }, onComplete: () => setArtifactsEnded(true) } : skipToken,
  );
  const [readArtifacts] = useLazyQuery(sessionArtifactsQuery, { fetchPolicy: 'network-only' });
  const missedSome = artifactsEnded && session !== undefined && (artifactsOf(session)?.nodes.some((a) => !a.isTerminal) ?? false);
  useEffect(() => {
    if (missedSome) void readArtifacts({ variables: { id, first: ARTIFACTS_SHOWN } });
  }, [missedSome, readArtifacts, id]);
  return {
    session,
    error,
    loading,
    live: session !== undefined && !session.isTerminal,
    liveError: sessionEvents.error ?? artifactEvents.error,
  };
}
