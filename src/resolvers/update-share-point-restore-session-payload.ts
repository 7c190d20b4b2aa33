import type {
  GraphDeltaItemFailure,
  GraphDeltaRemoval,
  GraphSiteRestoreArtifact,
  GraphUpdateSharePointRestoreSessionResponse,
  SessionScopedSiteRestoreArtifact,
} from '../graph/dto.js';
import { scrubMessage } from '../graphql-errors.js';
import type {
  RestoreArtifactChangeFailure,
  RestoreArtifactChangeOperation,
  UpdateSharePointRestoreSessionPayloadResolvers,
} from '../generated/graphql.js';
import { sessionKind } from './restore-session.js';
import type { CheckedUpdate } from './support/mutation-inputs.js';

/**
 * What `updateSharePointRestoreSession` learned from Graph's `@delta` answer (the codegen mapper
 * of `UpdateSharePointRestoreSessionPayload`). Graph answers an update with the changed items,
 * not the session, so `restoreSession` is read when, and only when, a query asks for it: through
 * the loader the mutation cleared, so the read is fresh and its failure fails that field alone.
 */
export interface UpdateSharePointRestoreSessionResult {
  restoreSessionId: string;
  addedArtifacts: SessionScopedSiteRestoreArtifact[];
  failures: RestoreArtifactChangeFailure[];
}

type DeltaItem = GraphSiteRestoreArtifact | GraphDeltaItemFailure | GraphDeltaRemoval;

function isFailure(item: DeltaItem): item is GraphDeltaItemFailure {
  const exception: unknown = '@Core.DataModificationException' in item ? item['@Core.DataModificationException'] : undefined;
  return typeof exception === 'object' && exception !== null;
}
const isRemoval = (item: DeltaItem): item is GraphDeltaRemoval => '@removed' in item;
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The restore point a delta item names (`{restorePoint: {id}}`), if any. */
function restorePointIdOf(item: DeltaItem): string | null {
  const ref: unknown = 'restorePoint' in item ? item.restorePoint : undefined;
  return typeof ref === 'object' && ref !== null && 'id' in ref ? text(ref.id) : null;
}

function failureOf(item: GraphDeltaItemFailure, removedIds: ReadonlySet<string>): RestoreArtifactChangeFailure {
  const exception = item['@Core.DataModificationException'];
  const restorePointId = restorePointIdOf(item);
  const id = text(item.id);
  const named = text(exception.failedOperation)?.toLowerCase();
  // Graph names the operation; when it does not, an item naming a restore point was an addition.
  const operation: RestoreArtifactChangeOperation =
    named === 'add'
      ? 'ADD'
      : named === 'remove'
        ? 'REMOVE'
        : restorePointId === null && id !== null && removedIds.has(id.toLowerCase())
          ? 'REMOVE'
          : 'ADD';
  return {
    operation,
    artifactId: operation === 'REMOVE' ? id : null,
    restorePointId: operation === 'ADD' ? restorePointId : null,
    code: text(exception.info?.code) ?? 'UnknownError',
    message: scrubMessage(text(exception.info?.message) ?? ''),
  };
}

/** Splits Graph's `@delta` answer into the artifacts it added (in the order asked for) and the changes it refused. */
export function updateResult(
  sessionId: string,
  request: CheckedUpdate,
  response: GraphUpdateSharePointRestoreSessionResponse,
): UpdateSharePointRestoreSessionResult {
  const items = Array.isArray(response?.['siteRestoreArtifacts@delta']) ? response['siteRestoreArtifacts@delta'] : [];
  const removedIds = new Set(request.removals.map((r) => r.id.toLowerCase()));
  const askedAt = new Map(request.additions.map((a, i) => [a.restorePoint.id.toLowerCase(), i]));
  const added: SessionScopedSiteRestoreArtifact[] = [];
  const failures: RestoreArtifactChangeFailure[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    if (isFailure(item)) failures.push(failureOf(item, removedIds));
    else if (!isRemoval(item) && text(item.id) !== null) added.push({ ...item, restoreSessionId: sessionId });
  }
  const order = (a: SessionScopedSiteRestoreArtifact): number =>
    askedAt.get(restorePointIdOf(a)?.toLowerCase() ?? '') ?? Number.MAX_SAFE_INTEGER;
  added.sort((a, b) => order(a) - order(b));
  return { restoreSessionId: sessionId, addedArtifacts: added, failures };
}

export const UpdateSharePointRestoreSessionPayload: UpdateSharePointRestoreSessionPayloadResolvers = {
  async restoreSession(result, _args, ctx) {
    const session = await ctx.loaders.sessionById.load(result.restoreSessionId);
    return session && sessionKind(session) === 'sharePoint' ? session : null;
  },
  addedArtifacts: (result) => result.addedArtifacts,
  failures: (result) => result.failures,
};
