import { skipToken, useQuery, useSubscription } from '@apollo/client/react';
import type { SessionSummaryFragment } from '../../../src/generated/console/graphql';
import { ErrorNotice } from '../error-notice';
import { dashboardQuery, followSessionSubscription } from '../operations';
import { PageHeading } from '../page-heading';
import { hrefs } from '../router';
import { familyOf, formatDateTime, ProgressBar, SessionStatusBadge } from '../status';

const PAGE_SIZE = 20;

/** A session that moves by itself: activated, not ended. A draft changes only when someone activates it. */
const isRunning = (s: SessionSummaryFragment): boolean => !s.isTerminal && s.status !== 'DRAFT';

/**
 * One row. While the session runs, the row follows it: each event of `restoreSessionStatusChanged` is written to the
 * cache entry of the session (same fragment, same key), so the row re-renders with it and nothing is refetched. The
 * subscription ends by itself after the terminal status.
 */
function SessionRow({ session }: { session: SessionSummaryFragment }) {
  const live = useSubscription(followSessionSubscription, isRunning(session) ? { variables: { id: session.id } } : skipToken);
  const family = familyOf(session.__typename);
  const name = `${family} session ${session.id.slice(0, 8)}`;
  return (
    <tr>
      <th scope="row">
        <a href={hrefs.session(session.id)}>{name}</a>
      </th>
      <td>
        <SessionStatusBadge status={session.status} />
        {live.error && <span className="live-error"> (live updates stopped)</span>}
      </td>
      <td>
        <ProgressBar progress={session.progress} label={`Progress of ${name}`} />
      </td>
      <td>{session.progress.total}</td>
      <td className="when">{formatDateTime(session.createdDateTime)}</td>
    </tr>
  );
}

export function SessionsPage() {
  // cache-and-network: coming back to the dashboard shows what the cache has at once, then the list as it is now.
  const { data, error, loading, fetchMore, refetch } = useQuery(dashboardQuery, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const sessions = data?.restoreSessions;
  return (
    <>
      <PageHeading>Restore sessions</PageHeading>
      <p className="lead">
        Every SharePoint, Exchange and OneDrive restore. Running ones update live.{' '}
        <button type="button" onClick={() => void refetch()} disabled={loading}>
          Refresh
        </button>
      </p>
      {error && <ErrorNotice error={error} context="The sessions could not be loaded" />}
      {!sessions && loading && <p role="status">Loading sessions…</p>}
      {sessions && (
        <table>
          <caption>
            {sessions.totalCount ?? sessions.nodes.length} restore sessions
            {sessions.pageInfo.hasNextPage ? `, ${sessions.nodes.length} shown` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Items</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {sessions.nodes.map((session) => (
              <SessionRow key={session.id} session={session} />
            ))}
          </tbody>
        </table>
      )}
      {sessions?.pageInfo.hasNextPage && (
        <button type="button" onClick={() => void fetchMore({ variables: { after: sessions.pageInfo.endCursor } })}>
          Show more sessions
        </button>
      )}
    </>
  );
}
