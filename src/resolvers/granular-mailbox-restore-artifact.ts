import type { GranularMailboxRestoreArtifactResolvers } from '../generated/graphql.js';
import { itemCount } from './mailbox-restore-artifact.js';
import { restoreArtifactFields, sessionOfKind } from './restore-artifact.js';
import { granularReferenceKey } from './support/granular-artifact-fields.js';
import { graphString } from './support/graph-values.js';

/** A mailbox artifact restoring the items one mail search found in one restore point. */
export const GranularMailboxRestoreArtifact: GranularMailboxRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.granular.mailboxById.load(granularReferenceKey('GranularMailboxRestoreArtifact', ref)),
  ...restoreArtifactFields,
  searchResponseId: (a) => graphString(a.searchResponseId),
  restoredFolderId: (a) => graphString(a.restoredFolderId),
  restoredFolderName: (a) => graphString(a.restoredFolderName),
  restoredItemCount: (a) => itemCount(a.restoredItemCount),
  restoreSession: (a, _args, ctx) => sessionOfKind(a, ctx, 'exchange'),
};
