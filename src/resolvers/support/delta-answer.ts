import type {
  GraphDeltaAnswer,
  GraphDeltaAnswerItem,
  GraphDeltaItemFailure,
  GraphDeltaRemoval,
  GraphRestoreArtifact,
} from '../../graph/dto.js';
import { GraphProtocolError, GraphRequestError } from '../../graph/errors.js';
import { scrubMessage } from '../../graphql-errors.js';
import type { RestoreArtifactChangeFailure, RestoreArtifactChangeOperation } from '../../generated/graphql.js';
import type { CheckedUpdate } from './mutation-inputs.js';

/**
 * What an update of any family learned from Graph's `@delta` answer: the artifacts Graph added (in the order they were
 * asked for, scoped to their session and family) and the changes it refused, each item on its own inside a 200.
 */
export interface DeltaResult<A> {
  restoreSessionId: string;
  addedArtifacts: A[];
  failures: RestoreArtifactChangeFailure[];
}

function isFailure(item: GraphDeltaAnswerItem): item is GraphDeltaItemFailure {
  const exception: unknown = '@Core.DataModificationException' in item ? item['@Core.DataModificationException'] : undefined;
  return typeof exception === 'object' && exception !== null;
}
const isRemoval = (item: GraphDeltaAnswerItem): item is GraphDeltaRemoval => '@removed' in item;
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The restore point a delta item names (`{restorePoint: {id}}`), if any. */
function restorePointIdOf(item: GraphDeltaAnswerItem): string | null {
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
export function deltaResult<A>(
  sessionId: string,
  request: CheckedUpdate,
  items: readonly GraphDeltaAnswerItem[],
  scope: (artifact: GraphRestoreArtifact) => A,
): DeltaResult<A> {
  const removedIds = new Set(request.removals.map((r) => r.id.toLowerCase()));
  const askedAt = new Map(request.additions.map((a, i) => [a.restorePoint.id.toLowerCase(), i]));
  const added: Array<{ at: number; artifact: A }> = [];
  const failures: RestoreArtifactChangeFailure[] = [];
  for (const item of items) {
    if (isFailure(item)) failures.push(failureOf(item, removedIds));
    else if (!isRemoval(item) && text(item.id) !== null) {
      added.push({ at: askedAt.get(restorePointIdOf(item)?.toLowerCase() ?? '') ?? Number.MAX_SAFE_INTEGER, artifact: scope(item) });
    }
  }
  added.sort((a, b) => a.at - b.at);
  return { restoreSessionId: sessionId, addedArtifacts: added.map((a) => a.artifact), failures };
}

/**
 * The one artifact an update with a single addition added. Graph refuses such an addition inside its 200; that refusal
 * becomes the error Graph would have answered the addition with on its own (its `responseCode` and code), so the
 * client sees the same codes as for a SharePoint addition, which Graph answers with an error status.
 */
export function singleAddition({ items, requestId, clientRequestId }: GraphDeltaAnswer): GraphRestoreArtifact {
  for (const item of items) {
    if (isFailure(item)) {
      const exception = item['@Core.DataModificationException'];
      const status = typeof exception.responseCode === 'number' && exception.responseCode >= 400 ? exception.responseCode : 400;
      throw new GraphRequestError({
        status,
        code: text(exception.info?.code) ?? 'UnknownError',
        message: text(exception.info?.message) ?? 'Microsoft Graph refused the addition.',
        requestId,
        clientRequestId,
      });
    }
    if (!isRemoval(item) && text(item.id) !== null) return item;
  }
  throw new GraphProtocolError('Microsoft Graph answered the addition without the artifact it added or a refusal.');
}
