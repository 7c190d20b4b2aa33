import type { GraphGranularRestoreArtifact } from '../../graph/dto.js';
import { destinationType } from '../../graph/enums.js';
import { granularGraphQLError } from '../../loaders/granular-loaders.js';
import { artifactStateFields } from '../restore-artifact.js';
import { checkReferenceId } from './ids.js';
import { graphDateTime, graphEnum, graphString, graphUrl } from './graph-values.js';

/**
 * What the granular artifact types share. SharePoint and OneDrive ones are items of a browse session: they name no
 * restore point (only when its backup was taken) and say where the item went (`restoredItem…`). Graph's placeholders
 * for what it does not know yet (`""`, `0001-01-01T00:00:00Z`) read as null.
 */

/** What granular SharePoint and OneDrive artifacts share. */
export const granularItemFields = {
  ...artifactStateFields,
  browseSessionId: (a: GraphGranularRestoreArtifact) => graphString(a.browseSessionId),
  // Beta only (SharePoint's destination, and the error): absent on v1.0.
  destinationType: (a: GraphGranularRestoreArtifact) => graphEnum(destinationType, a.destinationType),
  restorePointId: () => null,
  restorePoint: () => null,
  restorePointDateTime: (a: GraphGranularRestoreArtifact) => graphDateTime(a.restorePointDateTime),
  webUrl: (a: GraphGranularRestoreArtifact) => graphUrl(a.webUrl),
  restoredItemKey: (a: GraphGranularRestoreArtifact) => graphString(a.restoredItemKey),
  restoredItemPath: (a: GraphGranularRestoreArtifact) => graphString(a.restoredItemPath),
  restoredItemWebUrl: (a: GraphGranularRestoreArtifact) => graphUrl(a.restoredItemWebUrl),
};

/** Keys of an entity reference, checked as their kinds (a granular id is a comma-joined GUID tuple: a bounded string). */
export function granularReferenceKey(
  typename: string,
  ref: { id: unknown; restoreSessionId: unknown },
): { sessionId: string; artifactId: string } {
  return {
    sessionId: checkReferenceId('restoreSession', typename, 'restoreSessionId', ref.restoreSessionId),
    artifactId: checkReferenceId('restoreArtifact', typename, 'id', ref.id),
  };
}

/** The artifact `artifactId` of a list read whole, or null (Graph matches item keys case-insensitively). */
export async function fromWholeList<A extends { id: string }>(load: () => Promise<A[] | null>, artifactId: string): Promise<A | null> {
  let list: A[] | null;
  try {
    list = await load();
  } catch (err) {
    throw granularGraphQLError(err);
  }
  const id = artifactId.toLowerCase();
  return list?.find((a) => a.id.toLowerCase() === id) ?? null;
}
