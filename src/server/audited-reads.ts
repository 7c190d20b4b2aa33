import type { BrowseExchange } from '../graph/browse-pages.js';
import { peekLocation } from '../resolvers/support/browse-location.js';

/**
 * The reads the audit log records as well as every mutation (`audit-log.ts`): fields that show what only restore
 * operators may see, so that who looked at what is on record even though nothing changed. Each entry is keyed by the
 * field's coordinate as it resolves (`ObjectType.field`: an interface field is listed once per implementation), and
 * says what of one resolution to log. To audit another read, add one entry here.
 */

/** One resolution of an audited field, as the audit plugin sees it. */
export interface AuditedReadCall {
  /** The field's arguments, defaults applied. */
  args: Record<string, unknown>;
  /** The object the field was resolved on (undefined for a root field). */
  source: unknown;
}

/** Graph's answer to one request behind an audited read. */
export interface AuditedGraphExchange {
  method?: string;
  status: number;
  requestId: string | null;
  clientRequestId: string | null;
}

export interface AuditedRead {
  /**
   * What to log of this resolution besides the caller, the operation, the outcome and Graph's answers: the target and
   * the arguments that say what was looked at. Undefined: this resolution is not one to audit (a field audited only for
   * some arguments). Never a token; bound every caller-given string.
   */
  details(call: AuditedReadCall): Record<string, unknown> | undefined;
  /** Graph's answers behind a successful result, when the result carries them (a failure's come from its error). */
  graph?(result: unknown): AuditedGraphExchange[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const bounded = (value: unknown, max = 300): string | null => (typeof value === 'string' ? value.slice(0, max) : null);

/** One listing of a browse session: which session, which location (its item key and path), filtered and ordered how. */
const browseListing: AuditedRead = {
  details({ args, source }) {
    const sessionId = isRecord(source) && typeof source.id === 'string' ? source.id : '';
    const raw = typeof args.location === 'string' ? args.location : null;
    const location = raw === null ? undefined : peekLocation(sessionId, raw);
    return {
      browseSessionId: sessionId.slice(0, 300),
      location: raw === null ? { top: true } : location ? { itemKey: location.itemKey, path: location.path } : { invalid: true },
      nameContains: bounded(args.nameContains),
      orderBy: bounded(args.orderBy),
      first: typeof args.first === 'number' ? args.first : null,
      cursor: typeof args.after === 'string',
    };
  },
  graph(result) {
    const exchanges = isRecord(result) && Array.isArray(result.exchanges) ? (result.exchanges as BrowseExchange[]) : [];
    return exchanges.map((e) => ({ method: e.method, status: e.status, requestId: e.requestId, clientRequestId: e.clientRequestId }));
  },
};

/** A search with `mailItems`: which mailbox, which window, and what was looked for (a plain search is not audited). */
const mailSearch: AuditedRead = {
  details({ args }) {
    const input = isRecord(args.input) ? args.input : {};
    const items = isRecord(input.mailItems) ? input.mailItems : undefined;
    if (items === undefined) return undefined;
    const texts = (value: unknown): string[] | null => (Array.isArray(value) ? value.slice(0, 5).map((v) => bounded(v) ?? '') : null);
    const date = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : bounded(value));
    return {
      protectionUnitIds: texts(input.protectionUnitIds),
      startDateTime: date(input.startDateTime),
      endDateTime: date(input.endDateTime),
      mailItems: {
        subjects: texts(items.subjects),
        senders: texts(items.senders),
        recipients: texts(items.recipients),
        hasAttachment: typeof items.hasAttachment === 'boolean' ? items.hasAttachment : null,
        kinds: texts(items.kinds),
      },
    };
  },
};

/** The audited reads, by field coordinate. */
export const AUDITED_READS: ReadonlyMap<string, AuditedRead> = new Map<string, AuditedRead>([
  ['SharePointBrowseSession.items', browseListing],
  ['OneDriveForBusinessBrowseSession.items', browseListing],
  ['Query.searchRestorePoints', mailSearch],
]);

/** The field names of {@link AUDITED_READS}, so that the plugin looks up no other field's coordinate. */
export const AUDITED_READ_FIELDS: ReadonlySet<string> = new Set([...AUDITED_READS.keys()].map((c) => c.slice(c.indexOf('.') + 1)));
