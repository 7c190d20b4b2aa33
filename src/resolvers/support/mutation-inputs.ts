import type {
  CreateDriveRestoreArtifactsBulkAdditionRequestInput,
  CreateMailboxRestoreArtifactsBulkAdditionRequestInput,
  CreateSiteRestoreArtifactsBulkAdditionRequestInput,
  DestinationType,
  RestorePointPreference,
  RestorePointTags,
  TimePeriodInput,
} from '../../generated/graphql.js';
import type {
  GraphCreateDriveRestoreArtifactsBulkAdditionRequest,
  GraphCreateMailboxRestoreArtifactsBulkAdditionRequest,
  GraphCreateSiteRestoreArtifactsBulkAdditionRequest,
  GraphDeltaRemoval,
  GraphRestoreArtifactCreate,
} from '../../graph/dto.js';
import { destinationType, restorePointPreference, restorePointTags } from '../../graph/enums.js';
import { badUserInput, toGraphEnum } from './arguments.js';
import { graphId, guidId } from './ids.js';

// The id rules live in ./ids.ts, shared with queries, subscriptions and entity references; mutation.ts takes them from here.
export { graphId, guidId };

/**
 * Mutation arguments checked and turned into Graph request bodies before any Graph call. Each
 * refusal is BAD_USER_INPUT with `extensions.argument` naming the argument path at fault
 * (`input.addMailboxRestoreArtifacts[3].destinationType`), so a form can put the message next to the
 * right input. The rules are Graph's own (the "Backup storage error codes" page and the bulk
 * addition request resource page), applied here so that a request Graph would refuse as a whole
 * never reaches it, and so that the refusals Graph reports only by a generic 400 come back naming
 * the field.
 */

/** Graph's limit of changes in one `@delta` update (400 RestoreArtifactsLimitBreached above it). */
export const MAX_ARTIFACT_CHANGES = 50;
/** Graph's limit of sites, mailboxes or OneDrive accounts in one bulk addition request. */
export const MAX_BULK_SITES = 10_000;
/** The longest e-mail address SMTP allows (RFC 5321's path limit, less its angle brackets). */
export const MAX_EMAIL = 254;
/** Graph keeps display names of backup objects to 1,024 characters. */
export const MAX_DISPLAY_NAME = 1024;
/** Browsers and SharePoint stop well before this. */
export const MAX_SITE_URL = 2048;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators (in display names and site URLs).
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/** How a family's refusals name what it restores, and where a restore to a new location goes. */
export interface FamilyWording {
  /** `site`, `mailbox`, `OneDrive account`. */
  noun: string;
  /** `new sites`, `new folders`. */
  newPlace: string;
}

export const SITE_WORDING: FamilyWording = { noun: 'site', newPlace: 'new sites' };
export const MAILBOX_WORDING: FamilyWording = { noun: 'mailbox', newPlace: 'new folders' };
export const DRIVE_WORDING: FamilyWording = { noun: 'OneDrive account', newPlace: 'new sites' };

/** One artifact to add, as every family's input type gives it. */
export interface ArtifactInput {
  restorePointId: string;
  destinationType: DestinationType;
}

/**
 * Artifacts to add (on create or update) as Graph's `{restorePoint: {id}, destinationType}`: every
 * restore point id valid and named once, and one destination type for all of them, because a
 * session cannot mix restores to a new location with restores in place.
 */
export function artifactCreates(
  list: readonly ArtifactInput[],
  argument: string,
  wording: FamilyWording = SITE_WORDING,
): GraphRestoreArtifactCreate[] {
  const seen = new Map<string, number>();
  const out: GraphRestoreArtifactCreate[] = [];
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
          `a restore session cannot mix restores to ${wording.newPlace} with restores in place.`,
      );
    }
    out.push({ restorePoint: { id: pointId }, destinationType: destination });
  });
  return out;
}

export interface CheckedUpdate {
  sessionId: string;
  additions: GraphRestoreArtifactCreate[];
  removals: GraphDeltaRemoval[];
}

/** An update as every family's input gives it, with the argument names of its two lists. */
export interface UpdateInput {
  id: string;
  adds: readonly ArtifactInput[] | null | undefined;
  removes: readonly string[] | null | undefined;
  /** `input.addSiteRestoreArtifacts`, `input.removeSiteRestoreArtifactIds`, … */
  addsArgument: string;
  removesArgument: string;
}

/** An update names at least one change, at most 50 in all, and each artifact or restore point once. */
export function checkedUpdate(input: UpdateInput, wording: FamilyWording = SITE_WORDING): CheckedUpdate {
  const sessionId = guidId(input.id, 'input.id');
  const adds = input.adds ?? [];
  const removes = input.removes ?? [];
  const { addsArgument, removesArgument } = input;
  if (adds.length === 0 && removes.length === 0) {
    throw badUserInput('input', `'input' names no change: give '${addsArgument}', '${removesArgument}' or both.`);
  }
  if (adds.length + removes.length > MAX_ARTIFACT_CHANGES) {
    const argument = adds.length > MAX_ARTIFACT_CHANGES ? addsArgument : removes.length > MAX_ARTIFACT_CHANGES ? removesArgument : 'input';
    throw badUserInput(
      argument,
      `'${argument}' names ${adds.length} additions and ${removes.length} removals: Graph accepts at most ${MAX_ARTIFACT_CHANGES} changes ` +
        'in one update, additions and removals together. Split it into several updates.',
    );
  }
  const additions = artifactCreates(adds, addsArgument, wording);
  const seen = new Map<string, number>();
  const removals = removes.map((id, i): GraphDeltaRemoval => {
    const at = `${removesArgument}[${i}]`;
    // Artifact ids are Graph's to shape (granular ones are the restored item's key): the bounded check every
    // artifact id gets (./ids.ts), not the GUID rule of session ids.
    graphId(id, at);
    const twin = seen.get(id.toLowerCase());
    if (twin !== undefined) throw badUserInput(at, `'${at}' repeats '${removesArgument}[${twin}]': each artifact can be removed once.`);
    seen.set(id.toLowerCase(), i);
    return { '@removed': { reason: 'changed' }, id };
  });
  return { sessionId, additions, removals };
}

export interface CheckedAddition {
  sessionId: string;
  artifact: GraphRestoreArtifactCreate;
}

export function checkedAddition(input: ArtifactInput & { restoreSessionId: string }): CheckedAddition {
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

export interface CheckedBulkRequest<B> {
  sessionId: string;
  body: B;
}

/** What every family's bulk request input shares. */
interface BulkRequestInput {
  restoreSessionId: string;
  displayName: string;
  destinationType: DestinationType;
  protectionTimePeriod: TimePeriodInput;
  restorePointPreference?: RestorePointPreference | null;
  tags?: RestorePointTags | null;
}

type CommonBulkBody = Omit<GraphCreateSiteRestoreArtifactsBulkAdditionRequest, 'siteWebUrls'>;

/** The name, the window and the choice of restore points: checked the same way for every family. */
function commonBulkBody(input: BulkRequestInput): CommonBulkBody {
  const displayName = input.displayName;
  if (displayName.trim() === '') throw badUserInput('input.displayName', `'input.displayName' must not be empty.`);
  if (displayName.length > MAX_DISPLAY_NAME || UNSAFE.test(displayName)) {
    throw badUserInput(
      'input.displayName',
      `'input.displayName' must be at most ${MAX_DISPLAY_NAME} characters without control characters.`,
    );
  }
  const { startDateTime, endDateTime } = input.protectionTimePeriod;
  if (endDateTime !== null && endDateTime !== undefined && endDateTime.getTime() < startDateTime.getTime()) {
    throw badUserInput(
      'input.protectionTimePeriod.endDateTime',
      `'input.protectionTimePeriod.endDateTime' is before 'input.protectionTimePeriod.startDateTime'.`,
    );
  }
  const body: CommonBulkBody = {
    displayName,
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
  return body;
}

export function checkedBulkRequest(
  input: CreateSiteRestoreArtifactsBulkAdditionRequestInput,
): CheckedBulkRequest<GraphCreateSiteRestoreArtifactsBulkAdditionRequest> {
  const sessionId = guidId(input.restoreSessionId, 'input.restoreSessionId');
  const common = commonBulkBody(input);
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
  return { sessionId, body: { ...common, siteWebUrls: [...urls] } };
}

// One `@`, a dotted domain, no spaces or brackets: what Graph's bulk requests accept as an address (anything else is
// its 400 BulkRestoreInvalidCreateRequestUserEmail).
const EMAIL = /^[^\s@<>()[\],;:"]{1,64}@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$/;

/** E-mail addresses and directory object ids, together 1 to 10,000, each named once. */
function ownerTargets(
  emails: readonly string[],
  ids: readonly string[],
  emailsArgument: string,
  wording: FamilyWording,
): { emails: string[]; ids: string[] } {
  const total = emails.length + ids.length;
  if (total === 0 || total > MAX_BULK_SITES) {
    throw badUserInput(
      total === 0 || emails.length > 0 ? emailsArgument : 'input.directoryObjectIds',
      `'${emailsArgument}' and 'input.directoryObjectIds' must name 1 to ${MAX_BULK_SITES.toLocaleString('en-US')} ` +
        `${wording.noun}s together; they name ${total}.`,
    );
  }
  const seen = new Map<string, string>();
  const once = (key: string, at: string): void => {
    const twin = seen.get(key);
    if (twin !== undefined) throw badUserInput(at, `'${at}' repeats '${twin}': name each ${wording.noun} once.`);
    seen.set(key, at);
  };
  emails.forEach((email, i) => {
    const at = `${emailsArgument}[${i}]`;
    if (email.length > MAX_EMAIL || UNSAFE.test(email) || !EMAIL.test(email)) {
      throw badUserInput(at, `'${at}' is not an e-mail address such as megan@contoso.com.`);
    }
    once(`mail:${email.toLowerCase()}`, at);
  });
  ids.forEach((id, i) => {
    const at = `input.directoryObjectIds[${i}]`;
    once(`id:${guidId(id, at).toLowerCase()}`, at);
  });
  return { emails: [...emails], ids: [...ids] };
}

export function checkedMailboxBulkRequest(
  input: CreateMailboxRestoreArtifactsBulkAdditionRequestInput,
): CheckedBulkRequest<GraphCreateMailboxRestoreArtifactsBulkAdditionRequest> {
  const sessionId = guidId(input.restoreSessionId, 'input.restoreSessionId');
  const common = commonBulkBody(input);
  const { emails, ids } = ownerTargets(input.mailboxes ?? [], input.directoryObjectIds ?? [], 'input.mailboxes', MAILBOX_WORDING);
  return { sessionId, body: { ...common, mailboxes: emails, directoryObjectIds: ids } };
}

export function checkedDriveBulkRequest(
  input: CreateDriveRestoreArtifactsBulkAdditionRequestInput,
): CheckedBulkRequest<GraphCreateDriveRestoreArtifactsBulkAdditionRequest> {
  const sessionId = guidId(input.restoreSessionId, 'input.restoreSessionId');
  const common = commonBulkBody(input);
  const { emails, ids } = ownerTargets(input.drives ?? [], input.directoryObjectIds ?? [], 'input.drives', DRIVE_WORDING);
  return { sessionId, body: { ...common, drives: emails, directoryObjectIds: ids } };
}
