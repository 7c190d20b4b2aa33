import type {
  AddSiteRestoreArtifactInput,
  CreateSiteRestoreArtifactsBulkAdditionRequestInput,
  SiteRestoreArtifactInput,
  UpdateSharePointRestoreSessionInput,
} from '../../generated/graphql.js';
import type {
  GraphCreateSiteRestoreArtifactsBulkAdditionRequest,
  GraphDeltaRemoval,
  GraphSiteRestoreArtifactCreate,
} from '../../graph/dto.js';
import { destinationType, restorePointPreference, restorePointTags } from '../../graph/enums.js';
import { badUserInput, toGraphEnum } from './arguments.js';
import { graphId, guidId } from './ids.js';

// The id rules live in ./ids.ts, shared with queries, subscriptions and entity references; mutation.ts takes them from here.
export { graphId, guidId };

/**
 * Mutation arguments checked and turned into Graph request bodies before any Graph call. Each
 * refusal is BAD_USER_INPUT with `extensions.argument` naming the argument path at fault
 * (`input.addSiteRestoreArtifacts[3].destinationType`), so a form can put the message next to the
 * right input. The rules are Graph's own (the "Backup storage error codes" page and the bulk
 * addition request resource page), applied here so that a request Graph would refuse as a whole
 * never reaches it, and so that the refusals Graph reports only by a generic 400 come back naming
 * the field.
 */

/** Graph's limit of changes in one `@delta` update (400 RestoreArtifactsLimitBreached above it). */
export const MAX_ARTIFACT_CHANGES = 50;
/** Graph's limit of sites in one bulk addition request. */
export const MAX_BULK_SITES = 10_000;
/** Graph keeps display names of backup objects to 1,024 characters. */
export const MAX_DISPLAY_NAME = 1024;
/** Browsers and SharePoint stop well before this. */
export const MAX_SITE_URL = 2048;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators (in display names and site URLs).
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/**
 * Artifacts to add (on create or update) as Graph's `{restorePoint: {id}, destinationType}`: every
 * restore point id valid and named once, and one destination type for all of them, because a
 * session cannot mix restores to new sites with restores in place.
 */
export function artifactCreates(list: readonly SiteRestoreArtifactInput[], argument: string): GraphSiteRestoreArtifactCreate[] {
  const seen = new Map<string, number>();
  const out: GraphSiteRestoreArtifactCreate[] = [];
  list.forEach((item, i) => {
    const at = `${argument}[${i}]`;
    const pointId = graphId(item.restorePointId, `${at}.restorePointId`);
    const twin = seen.get(pointId.toLowerCase());
    if (twin !== undefined) {
      throw badUserInput(
        `${at}.restorePointId`,
        `'${at}.restorePointId' repeats '${argument}[${twin}].restorePointId': each restore point can be added once.`,
      );
    }
    seen.set(pointId.toLowerCase(), i);
    const destination = toGraphEnum(destinationType, item.destinationType, `${at}.destinationType`);
    const first = list[0];
    if (i > 0 && first && item.destinationType !== first.destinationType) {
      throw badUserInput(
        `${at}.destinationType`,
        `'${at}.destinationType' is ${item.destinationType} but '${argument}[0].destinationType' is ${first.destinationType}: ` +
          'a restore session cannot mix restores to new sites with restores in place.',
      );
    }
    out.push({ restorePoint: { id: pointId }, destinationType: destination });
  });
  return out;
}

export interface CheckedUpdate {
  sessionId: string;
  additions: GraphSiteRestoreArtifactCreate[];
  removals: GraphDeltaRemoval[];
}

/** An update names at least one change, at most 50 in all, and each artifact or restore point once. */
export function checkedUpdate(input: UpdateSharePointRestoreSessionInput): CheckedUpdate {
  const sessionId = guidId(input.id, 'input.id');
  const adds = input.addSiteRestoreArtifacts ?? [];
  const removes = input.removeSiteRestoreArtifactIds ?? [];
  if (adds.length === 0 && removes.length === 0) {
    throw badUserInput(
      'input',
      `'input' names no change: give 'input.addSiteRestoreArtifacts', 'input.removeSiteRestoreArtifactIds' or both.`,
    );
  }
  if (adds.length + removes.length > MAX_ARTIFACT_CHANGES) {
    const argument =
      adds.length > MAX_ARTIFACT_CHANGES
        ? 'input.addSiteRestoreArtifacts'
        : removes.length > MAX_ARTIFACT_CHANGES
          ? 'input.removeSiteRestoreArtifactIds'
          : 'input';
    throw badUserInput(
      argument,
      `'${argument}' names ${adds.length} additions and ${removes.length} removals: Graph accepts at most ${MAX_ARTIFACT_CHANGES} changes ` +
        'in one update, additions and removals together. Split it into several updates.',
    );
  }
  const additions = artifactCreates(adds, 'input.addSiteRestoreArtifacts');
  const seen = new Map<string, number>();
  const removals = removes.map((id, i): GraphDeltaRemoval => {
    const at = `input.removeSiteRestoreArtifactIds[${i}]`;
    // Artifact ids are Graph's to shape (granular ones are the restored item's key): the bounded check every
    // artifact id gets (./ids.ts), not the GUID rule of session ids.
    graphId(id, at);
    const twin = seen.get(id.toLowerCase());
    if (twin !== undefined)
      throw badUserInput(at, `'${at}' repeats 'input.removeSiteRestoreArtifactIds[${twin}]': each artifact can be removed once.`);
    seen.set(id.toLowerCase(), i);
    return { '@removed': { reason: 'changed' }, id };
  });
  return { sessionId, additions, removals };
}

export interface CheckedAddition {
  sessionId: string;
  artifact: GraphSiteRestoreArtifactCreate;
}

export function checkedAddition(input: AddSiteRestoreArtifactInput): CheckedAddition {
  return {
    sessionId: guidId(input.restoreSessionId, 'input.restoreSessionId'),
    artifact: {
      restorePoint: { id: graphId(input.restorePointId, 'input.restorePointId') },
      destinationType: toGraphEnum(destinationType, input.destinationType, 'input.destinationType'),
    },
  };
}

/** An absolute https URL of a site: a dotted host, no credentials, query or fragment (Graph resolves sites by URL alone). */
function siteUrl(value: string, argument: string): string {
  const refuse = (why: string): never => {
    throw badUserInput(argument, `'${argument}' ${why}; expected a site address such as https://contoso.sharepoint.com/sites/finance.`);
  };
  if (value.length > MAX_SITE_URL) refuse(`is longer than ${MAX_SITE_URL} characters`);
  if (value.trim() === '' || /\s/.test(value) || UNSAFE.test(value)) refuse('is empty or contains spaces or control characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('is not an absolute URL');
  }
  if (url.protocol !== 'https:') refuse('is not an https URL');
  if (!url.hostname.includes('.') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    refuse('is not a site address');
  }
  return value;
}

export interface CheckedBulkRequest {
  sessionId: string;
  body: GraphCreateSiteRestoreArtifactsBulkAdditionRequest;
}

export function checkedBulkRequest(input: CreateSiteRestoreArtifactsBulkAdditionRequestInput): CheckedBulkRequest {
  const sessionId = guidId(input.restoreSessionId, 'input.restoreSessionId');
  const displayName = input.displayName;
  if (displayName.trim() === '') throw badUserInput('input.displayName', `'input.displayName' must not be empty.`);
  if (displayName.length > MAX_DISPLAY_NAME || UNSAFE.test(displayName)) {
    throw badUserInput(
      'input.displayName',
      `'input.displayName' must be at most ${MAX_DISPLAY_NAME} characters without control characters.`,
    );
  }
  const urls = input.siteWebUrls;
  if (urls.length === 0 || urls.length > MAX_BULK_SITES) {
    throw badUserInput(
      'input.siteWebUrls',
      `'input.siteWebUrls' must hold 1 to ${MAX_BULK_SITES.toLocaleString('en-US')} site URLs; it holds ${urls.length}.`,
    );
  }
  const seen = new Map<string, number>();
  urls.forEach((url, i) => {
    const at = `input.siteWebUrls[${i}]`;
    siteUrl(url, at);
    // Graph matches site URLs case-insensitively, with or without a trailing slash.
    const key = url.toLowerCase().replace(/\/+$/, '');
    const twin = seen.get(key);
    if (twin !== undefined) throw badUserInput(at, `'${at}' repeats 'input.siteWebUrls[${twin}]': name each site once.`);
    seen.set(key, i);
  });
  const { startDateTime, endDateTime } = input.protectionTimePeriod;
  if (endDateTime !== null && endDateTime !== undefined && endDateTime.getTime() < startDateTime.getTime()) {
    throw badUserInput(
      'input.protectionTimePeriod.endDateTime',
      `'input.protectionTimePeriod.endDateTime' is before 'input.protectionTimePeriod.startDateTime'.`,
    );
  }
  const body: GraphCreateSiteRestoreArtifactsBulkAdditionRequest = {
    displayName,
    siteWebUrls: [...urls],
    destinationType: toGraphEnum(destinationType, input.destinationType, 'input.destinationType'),
    protectionTimePeriod: {
      startDateTime: startDateTime.toISOString(),
      ...(endDateTime ? { endDateTime: endDateTime.toISOString() } : {}),
    },
  };
  if (input.restorePointPreference) {
    body.restorePointPreference = toGraphEnum(restorePointPreference, input.restorePointPreference, 'input.restorePointPreference');
  }
  if (input.tags) body.tags = toGraphEnum(restorePointTags, input.tags, 'input.tags');
  return { sessionId, body };
}
