import type { ArtifactRestoreStatus, RestoreSessionStatus, SessionSummaryFragment } from '../../src/generated/console/graphql';

// Status is never told by colour alone: every badge has an icon and words, and the colour only repeats them. The
// icons are hidden from screen readers, which read the words.

interface Look {
  icon: string;
  text: string;
  tone: 'neutral' | 'running' | 'good' | 'warning' | 'bad';
}

const SESSION: Record<RestoreSessionStatus, Look> = {
  DRAFT: { icon: '✎', text: 'Draft', tone: 'neutral' },
  ACTIVATING: { icon: '⧗', text: 'Activating', tone: 'running' },
  ACTIVE: { icon: '▶', text: 'Restoring', tone: 'running' },
  COMPLETED: { icon: '✓', text: 'Completed', tone: 'good' },
  COMPLETED_WITH_ERROR: { icon: '⚠', text: 'Completed with errors', tone: 'warning' },
  FAILED: { icon: '✕', text: 'Failed', tone: 'bad' },
  UNKNOWN_FUTURE_VALUE: { icon: '?', text: 'Unknown status', tone: 'neutral' },
};

const ARTIFACT: Record<ArtifactRestoreStatus, Look> = {
  ADDED: { icon: '✎', text: 'Waiting for activation', tone: 'neutral' },
  SCHEDULING: { icon: '⧗', text: 'Scheduling', tone: 'running' },
  SCHEDULED: { icon: '⧗', text: 'Scheduled', tone: 'running' },
  IN_PROGRESS: { icon: '▶', text: 'Restoring', tone: 'running' },
  SUCCEEDED: { icon: '✓', text: 'Restored', tone: 'good' },
  FAILED: { icon: '✕', text: 'Failed', tone: 'bad' },
  UNKNOWN_FUTURE_VALUE: { icon: '?', text: 'Unknown status', tone: 'neutral' },
};

function Badge({ look }: { look: Look }) {
  return (
    <span className={`badge badge-${look.tone}`}>
      <span aria-hidden="true">{look.icon} </span>
      {look.text}
    </span>
  );
}

export const SessionStatusBadge = ({ status }: { status: RestoreSessionStatus }) => <Badge look={SESSION[status]} />;

export const ArtifactStatusBadge = ({ status }: { status: ArtifactRestoreStatus }) => <Badge look={ARTIFACT[status]} />;

/** How many of a session's items are done, in words. */
export function progressText({ total, completed, failed, inProgress }: SessionSummaryFragment['progress']): string {
  if (total === 0) return 'Not started';
  const done = `${completed + failed} of ${total} done`;
  const details = [failed > 0 ? `${failed} failed` : '', inProgress > 0 ? `${inProgress} running` : ''].filter(Boolean);
  return details.length > 0 ? `${done} (${details.join(', ')})` : done;
}

/** A progress bar a screen reader reads as a number and words; the words are on screen too. */
export function ProgressBar({ progress, label }: { progress: SessionSummaryFragment['progress']; label: string }) {
  const percent = Math.round(progress.percentComplete);
  const text = progressText(progress);
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${text}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text">
        {percent}% · {text}
      </span>
    </div>
  );
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A gateway `DateTime` (RFC 3339, UTC) for people, in UTC as the restore points are taken; a dash when null. */
export function formatDateTime(value: string | null | undefined): string {
  return value ? `${dateTime.format(new Date(value))} UTC` : '—';
}

/** The family of a session or artifact, from its GraphQL type. */
export function familyOf(typename: string): string {
  if (typename.startsWith('SharePoint') || typename.startsWith('Site')) return 'SharePoint';
  if (typename.startsWith('Exchange') || typename.startsWith('Mailbox')) return 'Exchange';
  if (typename.startsWith('OneDrive') || typename.startsWith('Drive')) return 'OneDrive';
  return 'Other';
}
