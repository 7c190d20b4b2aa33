import type { EnumMapping } from '../../graph/enums.js';
import type { GraphIdentitySet, GraphPublicError, GraphRestoreSessionArtifactCount } from '../../graph/dto.js';

/**
 * Graph → GraphQL value helpers shared by the field resolvers. Graph only promises `id` on its
 * entities, writes placeholders for dates it has not set, and sometimes sends the wrong shape (an
 * empty string for an identity set, an array for an error); these turn all of that into the
 * nulls and defaults the schema describes, so no resolver copies the rules.
 */

/** Year 1 (`0001-01-01T00:00:00Z`, any precision) is Graph's "no date yet". */
const PLACEHOLDER_YEAR = 1;

/** A Graph date as a `Date` (the DateTime scalar keeps milliseconds), or null for placeholders, absence and garbage. */
export function graphDateTime(value: string | null | undefined): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() <= PLACEHOLDER_YEAR) return null;
  return date;
}

/** An absolute http(s) URL as Graph sent it, or null: the URL scalar would otherwise fail the whole field. */
export function graphUrl(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : null;
  } catch {
    return null;
  }
}

/** A string Graph sent, or null for absent and empty ones. */
export function graphString(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A reference to the site with this id (the router resolves the rest), or null when Graph sent none. */
export function graphSiteRef(id: string | null | undefined): { id: string } | null {
  const siteId = graphString(id);
  return siteId === null ? null : { id: siteId };
}

/** A GraphQL enum value for a Graph member; `UNKNOWN_FUTURE_VALUE` for members this gateway does not know. */
export function graphEnum<G extends string>(mapping: EnumMapping<G, string>, value: string | null | undefined): G | null {
  return typeof value === 'string' && value !== '' ? mapping.fromGraph(value) : null;
}

/** Like {@link graphEnum} for non-null fields: a missing member is as unknown as a new one. */
export function requiredGraphEnum<G extends string>(mapping: EnumMapping<G, string>, value: string | null | undefined): G {
  return graphEnum(mapping, value) ?? mapping.fromGraph('');
}

const IDENTITY_MEMBERS = ['user', 'application', 'device', 'applicationInstance', 'conversation', 'guest', 'phone', 'encrypted'] as const;

/** An identity set, or null when Graph recorded nobody (null, `""` as one doc example sends, or no member). */
export function graphIdentitySet(value: GraphIdentitySet | string | null | undefined): GraphIdentitySet | null {
  if (typeof value !== 'object' || value === null) return null;
  return IDENTITY_MEMBERS.some((m) => typeof value[m] === 'object' && value[m] !== null) ? value : null;
}

/** What Graph records of who created and last changed an entity. */
interface GraphAudited {
  createdDateTime?: string | null | undefined;
  createdBy?: GraphIdentitySet | string | null | undefined;
  lastModifiedDateTime?: string | null | undefined;
  lastModifiedBy?: GraphIdentitySet | string | null | undefined;
}

/** The created and last-modified fields, resolved alike on every entity that has them. */
export const auditFields = {
  createdDateTime: (e: GraphAudited) => graphDateTime(e.createdDateTime),
  createdBy: (e: GraphAudited) => graphIdentitySet(e.createdBy),
  lastModifiedDateTime: (e: GraphAudited) => graphDateTime(e.lastModifiedDateTime),
  lastModifiedBy: (e: GraphAudited) => graphIdentitySet(e.lastModifiedBy),
};

/** A public error, or null when there is none; of an array (one doc page) the first entry. */
export function graphPublicError(value: GraphPublicError | GraphPublicError[] | null | undefined): GraphPublicError | null {
  const error = Array.isArray(value) ? value[0] : value;
  if (typeof error !== 'object' || error === null) return null;
  const empty = !error.code && !error.message && !error.target && !(error.details && error.details.length > 0) && !error.innerError;
  return empty ? null : error;
}

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Graph's artifact counters, all zero when it sent none, never negative. */
export function graphArtifactCount(value: GraphRestoreSessionArtifactCount | null | undefined): GraphRestoreSessionArtifactCount {
  return {
    total: count(value?.total),
    inProgress: count(value?.inProgress),
    completed: count(value?.completed),
    failed: count(value?.failed),
  };
}
