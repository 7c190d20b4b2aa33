import type {
  CreateGranularExchangeRestoreSessionInput,
  CreateGranularSharePointRestoreSessionInput,
  GranularItemInput,
  InputMaybe,
} from '../../generated/graphql.js';
import type {
  GraphDeltaRemoval,
  GraphGranularItemAddition,
  GraphGranularItemCreate,
  GraphGranularMailboxArtifactCreate,
} from '../../graph/dto.js';
import { conflictBehavior, destinationType } from '../../graph/enums.js';
import type { GranularCreateByFamily } from '../../graph/granular-endpoints.js';
import { badUserInput, toGraphEnum } from './arguments.js';
import { graphId, guidId } from './ids.js';
import { MAILBOX_WORDING, MAX_ARTIFACT_CHANGES } from './mutation-inputs.js';

/**
 * The granular mutations' arguments checked and turned into Graph bodies before any Graph call, with the rules of the
 * standard ones (`support/mutation-inputs.ts`): BAD_USER_INPUT naming the argument at fault; every item named once
 * (an item key is the artifact's id, so a session holds it once; a search of a restore point once); one destination
 * per session; at least one item on create; 1 to 50 changes in an update. Browse session ids and item keys are Graph's
 * opaque strings (`m_RtZ8…`, comma-joined GUIDs): they get the bounded check of every Graph key.
 */

/** The Graph version a base URL names: the gateway's requests differ where Graph's versions do. */
export type GraphVersion = 'beta' | 'v1.0';

export function graphVersionOf(baseUrl: string): GraphVersion {
  const last = new URL(baseUrl).pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  return last.toLowerCase() === 'beta' ? 'beta' : 'v1.0';
}

/** Items of a browse session as Graph's `{browseSessionId, <key>}`, each item key once. */
function granularItems<T>(list: readonly GranularItemInput[], argument: string, make: (browseSessionId: string, key: string) => T): T[] {
  const seen = new Map<string, number>();
  return list.map((item, i) => {
    const at = `${argument}[${i}]`;
    const browseSessionId = graphId(item.browseSessionId, `${at}.browseSessionId`);
    const key = graphId(item.itemKey, `${at}.itemKey`);
    const twin = seen.get(key.toLowerCase());
    if (twin !== undefined) {
      throw badUserInput(
        `${at}.itemKey`,
        `'${at}.itemKey' repeats '${argument}[${twin}].itemKey': a session restores each item once (its key is the artifact's id).`,
      );
    }
    seen.set(key.toLowerCase(), i);
    return make(browseSessionId, key);
  });
}

function atLeastOne(list: readonly unknown[], argument: string, noun: string): void {
  if (list.length === 0) throw badUserInput(argument, `'${argument}' must name at least one ${noun}: Graph has no empty granular session.`);
}

export function checkedSharePointCreate(
  input: CreateGranularSharePointRestoreSessionInput,
  version: GraphVersion,
): GranularCreateByFamily['sharePoint'] {
  atLeastOne(input.items, 'input.items', 'item');
  const destination = input.destinationType ?? null;
  if (destination !== null && version !== 'beta') {
    throw badUserInput(
      'input.destinationType',
      `'input.destinationType' is only accepted by Microsoft Graph beta: on v1.0, granular SharePoint items are ` +
        'restored in place; leave it out.',
    );
  }
  const graphDestination = destination === null ? undefined : toGraphEnum(destinationType, destination, 'input.destinationType');
  const artifacts = granularItems<GraphGranularItemCreate>(input.items, 'input.items', (browseSessionId, id) =>
    graphDestination === undefined ? { browseSessionId, id } : { browseSessionId, id, destinationType: graphDestination },
  );
  const behavior = input.conflictBehavior ?? null;
  return behavior === null ? { artifacts } : { artifacts, conflictBehavior: conflictBehavior[behavior] };
}

export function checkedOneDriveCreate(input: { items: readonly GranularItemInput[] }): GranularCreateByFamily['oneDriveForBusiness'] {
  atLeastOne(input.items, 'input.items', 'item');
  return {
    artifacts: granularItems<GraphGranularItemCreate>(input.items, 'input.items', (browseSessionId, id) => ({ browseSessionId, id })),
  };
}

export interface CheckedGranularUpdate {
  sessionId: string;
  additions: GraphGranularItemAddition[];
  removals: GraphDeltaRemoval[];
}

/** An update names at least one change, at most 50 in all, each item to add and each key to remove once. */
export function checkedGranularUpdate(input: {
  id: string;
  addItems?: InputMaybe<GranularItemInput[]>;
  removeItemKeys?: InputMaybe<string[]>;
}): CheckedGranularUpdate {
  const sessionId = guidId(input.id, 'input.id');
  const adds = input.addItems ?? [];
  const removes = input.removeItemKeys ?? [];
  if (adds.length === 0 && removes.length === 0) {
    throw badUserInput('input', `'input' names no change: give 'input.addItems', 'input.removeItemKeys' or both.`);
  }
  if (adds.length + removes.length > MAX_ARTIFACT_CHANGES) {
    const argument =
      adds.length > MAX_ARTIFACT_CHANGES ? 'input.addItems' : removes.length > MAX_ARTIFACT_CHANGES ? 'input.removeItemKeys' : 'input';
    throw badUserInput(
      argument,
      `'${argument}' names ${adds.length} additions and ${removes.length} removals: Graph accepts at most ${MAX_ARTIFACT_CHANGES} changes ` +
        'in one update, additions and removals together. Split it into several updates.',
    );
  }
  const additions = granularItems<GraphGranularItemAddition>(adds, 'input.addItems', (browseSessionId, itemKey) => ({
    browseSessionId,
    itemKey,
  }));
  const seen = new Map<string, number>();
  const removals = removes.map((key, i): GraphDeltaRemoval => {
    const at = `input.removeItemKeys[${i}]`;
    graphId(key, at);
    const twin = seen.get(key.toLowerCase());
    if (twin !== undefined) throw badUserInput(at, `'${at}' repeats 'input.removeItemKeys[${twin}]': each item can be removed once.`);
    seen.set(key.toLowerCase(), i);
    return { '@removed': { reason: 'changed' }, id: key };
  });
  return { sessionId, additions, removals };
}

/** Searches to restore: each restore point and search once, one destination for all. */
export function checkedExchangeCreate(input: CreateGranularExchangeRestoreSessionInput): GranularCreateByFamily['exchange'] {
  const list = input.mailboxItems;
  atLeastOne(list, 'input.mailboxItems', 'search');
  const seen = new Map<string, number>();
  const artifacts = list.map((item, i): GraphGranularMailboxArtifactCreate => {
    const at = `input.mailboxItems[${i}]`;
    const pointId = graphId(item.restorePointId, `${at}.restorePointId`);
    const searchResponseId = graphId(item.searchResponseId, `${at}.searchResponseId`);
    const key = JSON.stringify([pointId.toLowerCase(), searchResponseId]);
    const twin = seen.get(key);
    if (twin !== undefined) {
      throw badUserInput(
        `${at}.searchResponseId`,
        `'${at}' repeats 'input.mailboxItems[${twin}]': each search of a restore point can be restored once.`,
      );
    }
    seen.set(key, i);
    const destination = toGraphEnum(destinationType, item.destinationType, `${at}.destinationType`);
    const first = list[0];
    if (i > 0 && first && item.destinationType !== first.destinationType) {
      throw badUserInput(
        `${at}.destinationType`,
        `'${at}.destinationType' is ${item.destinationType} but 'input.mailboxItems[0].destinationType' is ${first.destinationType}: ` +
          `a restore session cannot mix restores to ${MAILBOX_WORDING.newPlace} with restores in place.`,
      );
    }
    return { restorePoint: { id: pointId }, destinationType: destination, searchResponseId };
  });
  return { artifacts };
}
