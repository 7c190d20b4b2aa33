import type { GraphDeltaItemFailure, GraphGranularDeltaAnswer, GraphGranularRestoreArtifact } from '../../graph/dto.js';
import { scrubMessage } from '../../graphql-errors.js';
import type { GranularItemChangeFailure, RestoreArtifactChangeOperation } from '../../generated/graphql.js';
import type { CheckedGranularUpdate } from './granular-inputs.js';

/**
 * What a granular update learned from Graph's `@delta` answer, as `support/delta-answer.ts` reads a standard one: the
 * artifacts Graph added (in the order asked for: by item key, which is the artifact's id) and the changes it refused
 * inside its 200, each naming the item key it concerned.
 */
export interface GranularDeltaResult<A> {
  restoreSessionId: string;
  addedArtifacts: A[];
  failures: GranularItemChangeFailure[];
}

type AnswerItem = GraphGranularDeltaAnswer['items'][number];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function isFailure(item: AnswerItem): item is GraphDeltaItemFailure {
  const exception: unknown = '@Core.DataModificationException' in item ? item['@Core.DataModificationException'] : undefined;
  return typeof exception === 'object' && exception !== null;
}

/** A field of an answer item Graph may or may not send (`itemKey`, `browseSessionId`). */
const field = (item: AnswerItem, name: string): string | null => text((item as unknown as Record<string, unknown>)[name]);

function failureOf(item: GraphDeltaItemFailure, removedKeys: ReadonlySet<string>): GranularItemChangeFailure {
  const exception = item['@Core.DataModificationException'];
  const itemKey = field(item, 'itemKey') ?? text(item.id);
  const browseSessionId = field(item, 'browseSessionId');
  const named = text(exception.failedOperation)?.toLowerCase();
  // Graph names the operation; when it does not, an item naming a browse session was an addition.
  const operation: RestoreArtifactChangeOperation =
    named === 'add'
      ? 'ADD'
      : named === 'remove'
        ? 'REMOVE'
        : browseSessionId === null && itemKey !== null && removedKeys.has(itemKey.toLowerCase())
          ? 'REMOVE'
          : 'ADD';
  return {
    operation,
    itemKey,
    browseSessionId: operation === 'ADD' ? browseSessionId : null,
    code: text(exception.info?.code) ?? 'UnknownError',
    message: scrubMessage(text(exception.info?.message) ?? ''),
  };
}

/** Splits Graph's answer into the artifacts it added (in the order asked for) and the changes it refused. */
export function granularDeltaResult<A>(
  request: CheckedGranularUpdate,
  items: GraphGranularDeltaAnswer['items'],
  scope: (artifact: GraphGranularRestoreArtifact) => A,
): GranularDeltaResult<A> {
  const removedKeys = new Set(request.removals.map((r) => r.id.toLowerCase()));
  const askedAt = new Map(request.additions.map((a, i) => [a.itemKey.toLowerCase(), i]));
  const added: Array<{ at: number; artifact: A }> = [];
  const failures: GranularItemChangeFailure[] = [];
  for (const item of items) {
    if (isFailure(item)) failures.push(failureOf(item, removedKeys));
    else if (!('@removed' in item) && text(item.id) !== null) {
      const artifact = item as GraphGranularRestoreArtifact;
      added.push({ at: askedAt.get(artifact.id.toLowerCase()) ?? Number.MAX_SAFE_INTEGER, artifact: scope(artifact) });
    }
  }
  added.sort((a, b) => a.at - b.at);
  return { restoreSessionId: request.sessionId, addedArtifacts: added.map((a) => a.artifact), failures };
}
