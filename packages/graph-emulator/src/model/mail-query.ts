import { GraphError, badRequest } from '../http/errors.js';
import { enumInput, type EnumRequest } from '../http/odata.js';
import { truncate } from '../http/router.js';
import type { MailClause, MailItemKind, MailQuery } from './types.js';

/**
 * The two forms of a granular Exchange search (`artifactQuery` of `restorePoints/search`):
 *
 * - `queryExpression`, in the grammar of Graph's granular-search concept page: `Subject -like 'Budget*'`,
 *   `Sender -like 'alexw'`, `Participants -like 'meganb@contoso.onmicrosoft.com'`, `HasAttachment -eq 'true'`,
 *   `MessageKind -eq 'Email'`, joined with `-and` (parentheses allowed), at most three terms of one kind;
 * - `structuredQueryExpression` (beta): `{subjects, senders, recipients, hasAttachment, items}`, each list matching
 *   when any of its entries does.
 *
 * Anything else is 400 InvalidSearchRequest, the code Graph's error page gives for a bad search.
 */

const invalidSearch = (message: string): GraphError => new GraphError(400, 'InvalidSearchRequest', message);
const MAX_TERMS_PER_KIND = 3;
const MAX_LIST_ENTRIES = 20;
const MAX_ENTRY_LENGTH = 256;

type Tok = { t: 'lp' } | { t: 'rp' } | { t: 'str'; v: string } | { t: 'op'; v: string } | { t: 'word'; v: string };

const TOKEN = /\s*(?:(\()|(\))|'((?:[^']|'')*)'|"((?:[^"]|"")*)"|(-[A-Za-z]+)|([^\s()'"-][^\s()'"]*))/y;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let pos = 0;
  while (pos < src.length && !/^\s*$/.test(src.slice(pos))) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw invalidSearch(`The query expression can't be read at position ${pos}.`);
    pos = TOKEN.lastIndex;
    if (m[1]) out.push({ t: 'lp' });
    else if (m[2]) out.push({ t: 'rp' });
    else if (m[3] !== undefined) out.push({ t: 'str', v: m[3].replace(/''/g, "'") });
    else if (m[4] !== undefined) out.push({ t: 'str', v: m[4].replace(/""/g, '"') });
    else if (m[5]) out.push({ t: 'op', v: m[5].toLowerCase() });
    else if (m[6]) out.push({ t: 'word', v: m[6] });
  }
  return out;
}

type Term = 'subject' | 'sender' | 'participants' | 'hasattachment' | 'messagekind';
const TERMS: Record<Term, { operator: '-like' | '-eq'; name: string }> = {
  subject: { operator: '-like', name: 'Subject' },
  sender: { operator: '-like', name: 'Sender' },
  participants: { operator: '-like', name: 'Participants' },
  hasattachment: { operator: '-eq', name: 'HasAttachment' },
  messagekind: { operator: '-eq', name: 'MessageKind' },
};
const KINDS: readonly MailItemKind[] = ['email', 'note', 'task', 'contact', 'calendar'];

function clauseOf(term: Term, value: string): MailClause {
  const name = TERMS[term].name;
  if (term === 'hasattachment') {
    const v = value.toLowerCase();
    if (v !== 'true' && v !== 'false') throw invalidSearch(`HasAttachment takes 'true' or 'false', not '${truncate(value)}'.`);
    return { field: 'hasAttachment', value: v === 'true' };
  }
  if (term === 'messagekind') {
    const kind = KINDS.find((k) => k === value.toLowerCase());
    if (!kind) throw invalidSearch(`MessageKind takes Email, Note, Task, Contact or Calendar, not '${truncate(value)}'.`);
    return { field: 'kind', any: [kind] };
  }
  if (value.trim() === '') throw invalidSearch(`${name} -like needs a value.`);
  return { field: term, any: [{ pattern: value, mode: 'like' }] };
}

/** Parses a `queryExpression`; see the module comment for the grammar. */
export function parseQueryExpression(src: string): MailQuery {
  const toks = tokenize(src);
  if (toks.length === 0) throw invalidSearch('The query expression is empty.');
  const clauses: MailClause[] = [];
  const counts = new Map<Term, number>();
  let i = 0;
  const term = (): void => {
    const t = toks[i++];
    if (t?.t === 'lp') {
      expression();
      if (toks[i++]?.t !== 'rp') throw invalidSearch("The query expression misses a ')'.");
      return;
    }
    const key = t?.t === 'word' ? (t.v.toLowerCase() as Term) : undefined;
    const spec = key ? TERMS[key] : undefined;
    if (!key || !spec) {
      throw invalidSearch(`Expected Subject, Sender, Participants, HasAttachment or MessageKind, not '${truncate(describe(t))}'.`);
    }
    const op = toks[i++];
    if (op?.t !== 'op' || op.v !== spec.operator)
      throw invalidSearch(`${spec.name} takes ${spec.operator}, not '${truncate(describe(op))}'.`);
    const value = toks[i++];
    if (value?.t !== 'str' && value?.t !== 'word') throw invalidSearch(`${spec.name} ${spec.operator} needs a quoted value.`);
    const n = (counts.get(key) ?? 0) + 1;
    if (n > MAX_TERMS_PER_KIND) throw invalidSearch(`A query takes at most ${MAX_TERMS_PER_KIND} ${spec.name} terms.`);
    counts.set(key, n);
    clauses.push(clauseOf(key, value.v));
  };
  const expression = (): void => {
    term();
    while (toks[i]?.t === 'op') {
      const join = toks[i] as { t: 'op'; v: string };
      if (join.v !== '-and') throw invalidSearch(`Terms are joined with -and only, not '${truncate(join.v)}'.`);
      i++;
      term();
    }
  };
  expression();
  if (i !== toks.length) throw invalidSearch(`Unexpected '${truncate(describe(toks[i]))}' in the query expression.`);
  return { clauses };
}

function describe(t: Tok | undefined): string {
  if (!t) return 'the end of the expression';
  if (t.t === 'lp') return '(';
  if (t.t === 'rp') return ')';
  return t.v;
}

const STRUCTURED_TYPE = 'microsoft.graph.restoreSearchArtifactQueryExpression';
const STRUCTURED_KEYS = new Set(['subjects', 'senders', 'recipients', 'hasAttachment', 'items']);

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    value.length > MAX_LIST_ENTRIES ||
    !value.every((v): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_ENTRY_LENGTH)
  ) {
    throw invalidSearch(`'structuredQueryExpression.${field}' must list at most ${MAX_LIST_ENTRIES} non-empty strings.`);
  }
  return value;
}

/**
 * Parses a beta `structuredQueryExpression`. Subjects match when the subject contains an entry, senders and
 * recipients when a name, alias or address equals one (`*` is a wildcard in all three); at least one criterion.
 */
export function parseStructuredQuery(value: unknown, req: EnumRequest): MailQuery {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidSearch("'artifactQuery.structuredQueryExpression' must be an object.");
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!key.startsWith('@') && !STRUCTURED_KEYS.has(key)) {
      throw badRequest(`The property '${truncate(key)}' does not exist on type '${STRUCTURED_TYPE}'.`);
    }
  }
  const clauses: MailClause[] = [];
  const subjects = stringList(o.subjects, 'subjects');
  if (subjects.length > 0) clauses.push({ field: 'subject', any: subjects.map((pattern) => ({ pattern, mode: 'contains' })) });
  const senders = stringList(o.senders, 'senders');
  if (senders.length > 0) clauses.push({ field: 'sender', any: senders.map((pattern) => ({ pattern, mode: 'like' })) });
  const recipients = stringList(o.recipients, 'recipients');
  if (recipients.length > 0) clauses.push({ field: 'participants', any: recipients.map((pattern) => ({ pattern, mode: 'like' })) });
  if (o.hasAttachment !== undefined && o.hasAttachment !== null) {
    if (typeof o.hasAttachment !== 'boolean') throw invalidSearch("'structuredQueryExpression.hasAttachment' must be true or false.");
    clauses.push({ field: 'hasAttachment', value: o.hasAttachment });
  }
  if (o.items !== undefined && o.items !== null) {
    if (!Array.isArray(o.items) || o.items.length > MAX_LIST_ENTRIES) {
      throw invalidSearch("'structuredQueryExpression.items' must be an array of granularRestoreItems values.");
    }
    const kinds = o.items.map((v) => enumInput('granularRestoreItems', v, req, 'items', 'InvalidSearchRequest') as MailItemKind);
    if (kinds.length > 0) clauses.push({ field: 'kind', any: kinds });
  }
  if (clauses.length === 0)
    throw invalidSearch("'structuredQueryExpression' names no criterion: give subjects, senders, recipients, hasAttachment or items.");
  return { clauses };
}
