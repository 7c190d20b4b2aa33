import type { GatewayContext } from '../../context.js';
import type { GraphRestoreSession } from '../../graph/dto.js';
import { artifactRestoreStatus } from '../../graph/enums.js';
import type {
  ExchangeRestoreSessionGranularMailboxRestoreArtifactsArgs,
  OneDriveForBusinessRestoreSessionGranularDriveRestoreArtifactsArgs,
  SharePointRestoreSessionGranularSiteRestoreArtifactsArgs,
} from '../../generated/graphql.js';
import { EMPTY_PAGE, wholeListPager } from './granular-lists.js';
import { sessionKind } from '../restore-session.js';
import { toGraphEnums } from './arguments.js';

/**
 * Each session type's granular artifact list, spread into its resolver object. SharePoint and OneDrive lists are read
 * whole (one loader call per session and operation, whatever the pages, filters and references asking) and paged here;
 * the mailbox list is paged by Graph.
 */

export const sharePointGranularFields = {
  async granularSiteRestoreArtifacts(
    session: GraphRestoreSession,
    args: SharePointRestoreSessionGranularSiteRestoreArtifactsArgs,
    ctx: GatewayContext,
  ) {
    const page = wholeListPager(`granularSiteRestoreArtifacts|${session.id}`, args);
    const list = await ctx.loaders.granular.siteList.load(session.id);
    return list === null ? EMPTY_PAGE : page(list);
  },
};

export const oneDriveGranularFields = {
  async granularDriveRestoreArtifacts(
    session: GraphRestoreSession,
    args: OneDriveForBusinessRestoreSessionGranularDriveRestoreArtifactsArgs,
    ctx: GatewayContext,
  ) {
    const page = wholeListPager(`granularDriveRestoreArtifacts|${session.id}`, args);
    const list = await ctx.loaders.granular.driveList.load(session.id);
    return list === null ? EMPTY_PAGE : page(list);
  },
};

export const exchangeGranularFields = {
  granularMailboxRestoreArtifacts(
    session: GraphRestoreSession,
    args: ExchangeRestoreSessionGranularMailboxRestoreArtifactsArgs,
    ctx: GatewayContext,
  ) {
    const status = toGraphEnums(artifactRestoreStatus, args.filter?.status, 'filter.status');
    // A stand-in session of a later family (see ExchangeRestoreSession) has no Exchange artifact list.
    if (sessionKind(session) !== 'exchange') return EMPTY_PAGE;
    return ctx.loaders.granular.mailboxPage.load({
      sessionId: session.id,
      first: args.first,
      after: args.after ?? null,
      filter: { status },
    });
  },
};
