import type { GraphRestorePointSearchRequest } from '../graph/dto.js';
import { restoreJobType, restorePointPreference, restorePointTags, restoreSessionStatus } from '../graph/enums.js';
import type { SessionPageKey } from '../loaders/index.js';
import type { InputMaybe, QueryResolvers, RestoreSessionFilter, SearchRestorePointsInput } from '../generated/graphql.js';
import { badUserInput, graphCall, toGraphEnum, toGraphEnums } from './support/arguments.js';
import { checkId } from './support/ids.js';
import { checkedSearchRequest } from './support/granular-search.js';

/** Graph's limit on protection units per `restorePoints/search` call. */
const MAX_SEARCH_UNITS = 20;

function sessionFilter(filter: InputMaybe<RestoreSessionFilter> | undefined): SessionPageKey['filter'] {
  return {
    status: toGraphEnums(restoreSessionStatus, filter?.status, 'filter.status'),
    restoreJobType: toGraphEnums(restoreJobType, filter?.restoreJobType, 'filter.restoreJobType'),
  };
}

function searchRequest(input: SearchRestorePointsInput): GraphRestorePointSearchRequest {
  const ids = input.protectionUnitIds;
  if (ids.length === 0 || ids.length > MAX_SEARCH_UNITS) {
    throw badUserInput('input.protectionUnitIds', `'input.protectionUnitIds' must hold 1 to ${MAX_SEARCH_UNITS} protection unit ids.`);
  }
  ids.forEach((id, i) => checkId('protectionUnit', id, `input.protectionUnitIds[${i}]`));
  const end = input.endDateTime ?? null;
  if (end !== null && end.getTime() < input.startDateTime.getTime()) {
    throw badUserInput('input.endDateTime', `'input.endDateTime' is before 'input.startDateTime'.`);
  }
  const request: GraphRestorePointSearchRequest = {
    protectionUnitIds: [...new Set(ids)],
    protectionTimePeriod: { startDateTime: input.startDateTime.toISOString(), ...(end ? { endDateTime: end.toISOString() } : {}) },
  };
  if (input.preference) request.restorePointPreference = toGraphEnum(restorePointPreference, input.preference, 'input.preference');
  if (input.tags) request.tags = toGraphEnum(restorePointTags, input.tags, 'input.tags');
  return request;
}

export const Query: QueryResolvers = {
  // A malformed id is the caller's mistake (BAD_USER_INPUT, nothing sent); a well-formed one Graph does not know is null.
  restoreSession: (_root, { id }, ctx) => ctx.loaders.sessionById.load(checkId('restoreSession', id, 'id')),

  restoreSessions: (_root, args, ctx) =>
    ctx.loaders.sessionPage.load({ family: 'all', first: args.first, after: args.after ?? null, filter: sessionFilter(args.filter) }),

  sharePointRestoreSessions: (_root, args, ctx) =>
    ctx.loaders.sessionPage.load({
      family: 'sharePoint',
      first: args.first,
      after: args.after ?? null,
      filter: sessionFilter(args.filter),
    }),

  async siteProtectionUnits(_root, args, ctx) {
    const page = await graphCall(() => ctx.graph.listSiteProtectionUnits({ first: args.first, after: args.after ?? null }));
    // List items are whole units, so later `RestorePoint.protectionUnit` fields of this request need no call.
    for (const unit of page.nodes) ctx.loaders.protectionUnitById.prime(unit.id, unit);
    return page;
  },

  async mailboxProtectionUnits(_root, args, ctx) {
    const page = await graphCall(() => ctx.graph.listMailboxProtectionUnits({ first: args.first, after: args.after ?? null }));
    for (const unit of page.nodes) ctx.loaders.protectionUnitById.prime(unit.id, unit);
    return page;
  },

  async driveProtectionUnits(_root, args, ctx) {
    const page = await graphCall(() => ctx.graph.listDriveProtectionUnits({ first: args.first, after: args.after ?? null }));
    for (const unit of page.nodes) ctx.loaders.protectionUnitById.prime(unit.id, unit);
    return page;
  },

  restorePoints(_root, args, ctx) {
    const unitId = checkId('protectionUnit', args.protectionUnitId, 'protectionUnitId');
    return graphCall(() => ctx.graph.listRestorePoints(unitId, args.before ?? null));
  },

  restorePoint: (_root, { id }, ctx) => ctx.loaders.restorePointById.load(checkId('restorePoint', id, 'id')),

  searchRestorePoints(_root, { input }, ctx) {
    // A mail search (a granular Exchange restore's first step) adds its permission check, rules and artifact query.
    const request = checkedSearchRequest(ctx, input, searchRequest);
    return graphCall(() => ctx.graph.searchRestorePoints(request));
  },
};
