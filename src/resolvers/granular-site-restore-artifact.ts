import type { GranularSiteRestoreArtifactResolvers } from '../generated/graphql.js';
import { sessionOfKind } from './restore-artifact.js';
import { fromWholeList, granularItemFields, granularReferenceKey } from './support/granular-artifact-fields.js';
import { graphString } from './support/graph-values.js';

export const GranularSiteRestoreArtifact: GranularSiteRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) => {
    const { sessionId, artifactId } = granularReferenceKey('GranularSiteRestoreArtifact', ref);
    return fromWholeList(() => ctx.loaders.granular.siteList.load(sessionId), artifactId);
  },
  ...granularItemFields,
  siteId: (a) => graphString(a.siteId),
  restoreSession: (a, _args, ctx) => sessionOfKind(a, ctx, 'sharePoint'),
};
