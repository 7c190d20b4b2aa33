import type { MailboxRestoreArtifactResolvers } from '../generated/graphql.js';
import { restoreArtifactFields, sessionOfKind } from './restore-artifact.js';
import { checkReferenceId } from './support/ids.js';
import { graphString } from './support/graph-values.js';

/** Graph's count of restored items, or null when it sent none (older answers) or something that is not a count. */
export function itemCount(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

export const MailboxRestoreArtifact: MailboxRestoreArtifactResolvers = {
  __resolveReference: (ref, ctx) =>
    ctx.loaders.mailboxArtifactById.load({
      sessionId: checkReferenceId('restoreSession', 'MailboxRestoreArtifact', 'restoreSessionId', ref.restoreSessionId),
      artifactId: checkReferenceId('restoreArtifact', 'MailboxRestoreArtifact', 'id', ref.id),
    }),
  ...restoreArtifactFields,
  restoredFolderId: (a) => graphString(a.restoredFolderId),
  restoredFolderName: (a) => graphString(a.restoredFolderName),
  restoredItemCount: (a) => itemCount(a.restoredItemCount),
  restoreSession: (a, _args, ctx) => sessionOfKind(a, ctx, 'exchange'),
};
