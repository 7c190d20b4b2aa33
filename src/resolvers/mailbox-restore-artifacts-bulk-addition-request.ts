import type { MailboxRestoreArtifactsBulkAdditionRequestResolvers } from '../generated/graphql.js';
import { bulkRequestFields, graphStrings } from './restore-artifacts-bulk-addition-request.js';

export const MailboxRestoreArtifactsBulkAdditionRequest: MailboxRestoreArtifactsBulkAdditionRequestResolvers = {
  ...bulkRequestFields,
  mailboxes: (r) => graphStrings(r.mailboxes),
  directoryObjectIds: (r) => graphStrings(r.directoryObjectIds),
};
