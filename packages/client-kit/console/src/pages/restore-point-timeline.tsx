import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import type { ConsoleRestorePointsQuery } from '../../../src/generated/console/graphql';
import { ErrorNotice } from '../error-notice';
import { restorePointsQuery } from '../operations';
import { formatDateTime } from '../status';

export type RestorePointChoice = Pick<NonNullable<ConsoleRestorePointsQuery['restorePoints']>[number], 'id' | 'protectionDateTime'>;

/**
 * The restore points of one site on a timeline, newest first, five at a time as Graph answers them; "Earlier" asks
 * for the five before the oldest one shown (`before`), "Later" goes back. The newest is chosen until the user picks.
 */
export function RestorePointTimeline(props: {
  unitId: string;
  siteName: string;
  value: RestorePointChoice | undefined;
  onChange(point: RestorePointChoice): void;
}) {
  const { unitId, siteName, value, onChange } = props;
  // The `before` of each page shown so far; the last one is on screen.
  const [pages, setPages] = useState<Array<string | undefined>>([undefined]);
  const before = pages[pages.length - 1];
  const { data, error, loading } = useQuery(restorePointsQuery, { variables: { protectionUnitId: unitId, before } });
  const points = data?.restorePoints ?? [];
  const newest = points[0];
  useEffect(() => {
    if (value === undefined && newest !== undefined) onChange(newest);
  }, [value, newest, onChange]);
  const oldest = points[points.length - 1]?.protectionDateTime;
  return (
    <fieldset className="timeline">
      <legend>Restore point for {siteName}</legend>
      <p className="detail">Chosen: {value ? formatDateTime(value.protectionDateTime) : 'none yet'}</p>
      {error && <ErrorNotice error={error} context="The restore points could not be loaded" />}
      {loading && points.length === 0 && <p role="status">Loading restore points…</p>}
      {!loading && !error && points.length === 0 && <p>No restore points {before ? 'before this one' : 'for this site'}.</p>}
      <ol>
        {points.map((p, i) => (
          <li key={p.id}>
            <label>
              <input type="radio" name={`point-${unitId}`} value={p.id} checked={value?.id === p.id} onChange={() => onChange(p)} />
              <span className="point-time">{formatDateTime(p.protectionDateTime)}</span>
              <span className="detail">
                {i === 0 && before === undefined ? 'newest' : ''}
                {p.tags === 'FAST_RESTORE' ? (i === 0 && before === undefined ? ', fast restore' : 'fast restore') : ''}
              </span>
            </label>
          </li>
        ))}
      </ol>
      <div className="timeline-nav">
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
          Later restore points
        </button>
        <button type="button" disabled={!oldest || points.length < 5} onClick={() => setPages([...pages, oldest ?? undefined])}>
          Earlier restore points
        </button>
      </div>
    </fieldset>
  );
}
