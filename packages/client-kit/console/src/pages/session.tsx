import { useMutation } from '@apollo/client/react';
import type { ArtifactRowFragment, UnitNameFragment } from '../../../src/generated/console/graphql';
import type { Caller } from '../auth';
import { ErrorNotice } from '../error-notice';
import { activateMutation } from '../operations';
import { PageHeading } from '../page-heading';
import { hrefs } from '../router';
import { ArtifactStatusBadge, familyOf, formatDateTime, ProgressBar, SessionStatusBadge } from '../status';
import { artifactsOf, useLiveSession, type Session } from './use-live-session';

function unitName(unit: UnitNameFragment | null | undefined): { name: string; detail: string | null } {
  switch (unit?.__typename) {
    case 'SiteProtectionUnit':
      return { name: unit.siteName ?? unit.id, detail: unit.siteWebUrl };
    case 'MailboxProtectionUnit':
    case 'DriveProtectionUnit':
      return { name: unit.displayName ?? unit.id, detail: unit.email };
    default:
      return { name: 'Unknown item', detail: null };
  }
}

/** Where an artifact was restored to, in each family's own terms; empty until Graph knows it. */
function restoredTo(a: ArtifactRowFragment): string {
  switch (a.__typename) {
    case 'SiteRestoreArtifact':
    case 'DriveRestoreArtifact':
      return a.restoredSiteWebUrl ?? a.restoredSiteName ?? '';
    case 'MailboxRestoreArtifact':
      return a.restoredFolderName
        ? `folder ${a.restoredFolderName}${a.restoredItemCount === null ? '' : `, ${a.restoredItemCount} items`}`
        : '';
    default:
      // Granular artifacts (single files and mails): this page lists whole sites, mailboxes and OneDrives only.
      return '';
  }
}

function ArtifactRow({ artifact }: { artifact: ArtifactRowFragment }) {
  const { name, detail } = unitName(artifact.restorePoint?.protectionUnit);
  return (
    <tr>
      <th scope="row">
        {name}
        {detail && <span className="detail">{detail}</span>}
      </th>
      <td className="when">{formatDateTime(artifact.restorePoint?.protectionDateTime)}</td>
      <td>{artifact.destinationType === 'NEW' ? 'New location' : artifact.destinationType === 'IN_PLACE' ? 'In place' : 'Unknown'}</td>
      <td>
        <ArtifactStatusBadge status={artifact.status} />
      </td>
      <td>{restoredTo(artifact) || '—'}</td>
      <td>{artifact.error ? `${artifact.error.message ?? 'Failed'} (${artifact.error.code})` : '—'}</td>
    </tr>
  );
}

function ArtifactsTable({ session }: { session: Session }) {
  const artifacts = artifactsOf(session);
  if (!artifacts) return <p>The items of this session could not be loaded.</p>;
  return (
    <table>
      <caption>
        {artifacts.totalCount ?? artifacts.nodes.length} items
        {artifacts.nodes.length < (artifacts.totalCount ?? 0) ? `, the first ${artifacts.nodes.length} shown` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Restore point</th>
          <th scope="col">Destination</th>
          <th scope="col">Status</th>
          <th scope="col">Restored to</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {artifacts.nodes.map((a) => (
          <ArtifactRow key={a.id} artifact={a} />
        ))}
      </tbody>
    </table>
  );
}

function ActivateButton({ id }: { id: string }) {
  // Errors go to the page's notice through the client's error link; `errorPolicy: 'all'` keeps them out of a throw.
  const [activate, { loading }] = useMutation(activateMutation, { errorPolicy: 'all' });
  return (
    <button type="button" className="primary" disabled={loading} onClick={() => void activate({ variables: { id } })}>
      {loading ? 'Activating…' : 'Activate restore'}
    </button>
  );
}

/** One session and its artifacts, live while it runs (use-live-session.ts); a draft can be activated here. */
export function SessionPage({ id, caller }: { id: string; caller: Caller }) {
  const { session, error, loading, live, liveError } = useLiveSession(id);
  if (!session) {
    return (
      <>
        <PageHeading>Restore session</PageHeading>
        {error && <ErrorNotice error={error} context="The session could not be loaded" />}
        {loading ? <p role="status">Loading the session…</p> : !error && <p>There is no session {id}: it may have been deleted.</p>}
        <p>
          <a href={hrefs.sessions}>Back to the restore sessions</a>
        </p>
      </>
    );
  }
  const name = `${familyOf(session.__typename)} session ${session.id.slice(0, 8)}`;
  return (
    <>
      <PageHeading>{name}</PageHeading>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <SessionStatusBadge status={session.status} /> {live ? <span className="live">updating live</span> : null}
        </dd>
        <dt>Progress</dt>
        <dd>
          <ProgressBar progress={session.progress} label={`Progress of ${name}`} />
        </dd>
        <dt>Created</dt>
        <dd>{formatDateTime(session.createdDateTime)}</dd>
        <dt>Ended</dt>
        <dd>{formatDateTime(session.completedDateTime)}</dd>
        <dt>Session id</dt>
        <dd>
          <code>{session.id}</code>
        </dd>
      </dl>
      {session.error && (
        <p className="notice notice-warning">
          {session.error.message ?? 'Some items could not be restored'} ({session.error.code})
        </p>
      )}
      {liveError && <ErrorNotice error={liveError} context="Live updates stopped" />}
      {caller.canWrite && session.status === 'DRAFT' && <ActivateButton id={session.id} />}
      <ArtifactsTable session={session} />
    </>
  );
}
