import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useState, type FormEvent } from 'react';
import type { DestinationType } from '../../../src/generated/console/graphql';
import type { Caller } from '../auth';
import { ErrorNotice } from '../error-notice';
import { createSiteRestoreMutation, protectedSitesQuery } from '../operations';
import { PageHeading } from '../page-heading';
import { hrefs, navigate } from '../router';
import { RestorePointTimeline, type RestorePointChoice } from './restore-point-timeline';

const SITES_PER_PAGE = 12;

interface Chosen {
  siteName: string;
  restorePoint: RestorePointChoice | undefined;
}

/** The protected sites, a page at a time: "Show more" appends the next page through the kit's pagination policy. */
function SitePicker({ chosen, toggle }: { chosen: ReadonlyMap<string, Chosen>; toggle(id: string, siteName: string): void }) {
  const { data, error, loading, fetchMore } = useQuery(protectedSitesQuery, { variables: { first: SITES_PER_PAGE } });
  const sites = data?.siteProtectionUnits;
  return (
    <fieldset>
      <legend>1. Sites to restore</legend>
      {error && <ErrorNotice error={error} context="The protected sites could not be loaded" />}
      {!sites && loading && <p role="status">Loading protected sites…</p>}
      <ul className="sites">
        {sites?.nodes.map((site) => (
          <li key={site.id}>
            <label>
              <input type="checkbox" checked={chosen.has(site.id)} onChange={() => toggle(site.id, site.siteName ?? site.id)} />
              {site.siteName ?? site.id}
              <span className="detail">{site.siteWebUrl}</span>
            </label>
          </li>
        ))}
      </ul>
      {sites?.pageInfo.hasNextPage && (
        <button type="button" onClick={() => void fetchMore({ variables: { after: sites.pageInfo.endCursor } })}>
          Show more sites ({sites.nodes.length} of {sites.totalCount ?? 'more'} shown)
        </button>
      )}
    </fieldset>
  );
}

function DestinationChoice({ value, onChange }: { value: DestinationType; onChange(d: DestinationType): void }) {
  return (
    <fieldset>
      <legend>3. Where to restore</legend>
      <label>
        <input type="radio" name="destination" checked={value === 'IN_PLACE'} onChange={() => onChange('IN_PLACE')} />
        In place: replace each site&apos;s content with the restore point&apos;s
      </label>
      <label>
        <input type="radio" name="destination" checked={value === 'NEW'} onChange={() => onChange('NEW')} />
        New sites: restore next to the originals, which stay untouched
      </label>
    </fieldset>
  );
}

/**
 * "Restore these sites": pick protected sites, a restore point of each on its timeline, in place or new, then create
 * the session (a draft) and go to its page, where it is activated and followed.
 */
export function RestoreSitesPage({ caller }: { caller: Caller }) {
  const [chosen, setChosen] = useState<ReadonlyMap<string, Chosen>>(new Map());
  const [destination, setDestination] = useState<DestinationType>('IN_PLACE');
  const [create, { loading }] = useMutation(createSiteRestoreMutation, { errorPolicy: 'all' });
  const toggle = useCallback((id: string, siteName: string) => {
    setChosen((now) => {
      const next = new Map(now);
      if (!next.delete(id)) next.set(id, { siteName, restorePoint: undefined });
      return next;
    });
  }, []);
  const pick = useCallback((id: string, restorePoint: RestorePointChoice) => {
    setChosen((now) => {
      const site = now.get(id);
      return site ? new Map(now).set(id, { ...site, restorePoint }) : now;
    });
  }, []);
  if (!caller.canWrite) {
    return (
      <>
        <PageHeading>Restore sites</PageHeading>
        <p>Your account can read restore sessions but not start them. Ask a backup administrator.</p>
      </>
    );
  }
  const ready = chosen.size > 0 && [...chosen.values()].every((c) => c.restorePoint !== undefined);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const siteRestoreArtifacts = [...chosen.values()].map((c) => ({
      restorePointId: c.restorePoint?.id ?? '',
      destinationType: destination,
    }));
    const { data } = await create({ variables: { input: { siteRestoreArtifacts } } });
    const created = data?.createSharePointRestoreSession?.restoreSession;
    if (created) navigate(hrefs.session(created.id));
  };
  return (
    <>
      <PageHeading>Restore sites</PageHeading>
      <form onSubmit={(e) => void submit(e)}>
        <SitePicker chosen={chosen} toggle={toggle} />
        <section aria-labelledby="points-heading">
          <h2 id="points-heading">2. Restore points</h2>
          {chosen.size === 0 && <p>Choose one or more sites first.</p>}
          {[...chosen].map(([id, c]) => (
            <RestorePointTimeline key={id} unitId={id} siteName={c.siteName} value={c.restorePoint} onChange={(p) => pick(id, p)} />
          ))}
        </section>
        <DestinationChoice value={destination} onChange={setDestination} />
        <button type="submit" className="primary" disabled={!ready || loading}>
          {loading ? 'Creating…' : `Create restore session for ${chosen.size} site${chosen.size === 1 ? '' : 's'}`}
        </button>
      </form>
    </>
  );
}
