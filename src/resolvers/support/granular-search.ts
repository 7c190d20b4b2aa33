import { assertMayWrite } from '../../auth/write-guard.js';
import type { GatewayContext } from '../../context.js';
import type { GraphArtifactQuery, GraphRestorePointSearchRequest, GraphStructuredQueryExpression } from '../../graph/dto.js';
import { mailItemKind } from '../../graph/enums.js';
import type { InputMaybe, MailItemKind, MailItemQueryInput, SearchRestorePointsInput } from '../../generated/graphql.js';
import { graphVersionOf, type GraphVersion } from './granular-inputs.js';
import { badUserInput } from './arguments.js';

/**
 * The mail search of a granular Exchange restore: `searchRestorePoints` with `input.mailItems` becomes Graph's
 * `artifactQuery` over exactly one mailbox. Graph's two versions take it differently: beta a
 * `structuredQueryExpression` (and it deprecated `queryExpression` there), v1.0 only the `queryExpression` of the
 * search concept page (`Subject -like 'Budget*' -and Participants -like 'megan@contoso.com'`), whose terms are joined
 * with `-and`, up to 3 of one kind. Values travel in single quotes, a quote doubled; the only wildcard the grammar
 * documents is a trailing `*`, which the gateway adds to subjects itself, so none may appear elsewhere.
 *
 * The answer tells how many items of a mailbox match what was asked, so the search needs the caller's write permission,
 * like the restore it prepares, checked before anything else; the audit plugin records it.
 */

/** The longest text one criterion takes: longer than any subject line or address Exchange keeps. */
const MAX_VALUE = 256;
const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/** How many values of each criterion Graph's grammar allows, per version (v1.0 joins them all with `-and`). */
const LIMITS: Readonly<Record<GraphVersion, Readonly<Record<'subjects' | 'senders' | 'recipients' | 'kinds', number>>>> = {
  beta: { subjects: 3, senders: 3, recipients: 3, kinds: 5 },
  // An item has one sender and one kind: two of either joined with -and could match nothing.
  'v1.0': { subjects: 3, senders: 1, recipients: 3, kinds: 1 },
};

/** v1.0 writes the kinds capitalised. */
const MESSAGE_KIND: Readonly<Record<MailItemKind, string>> = {
  EMAIL: 'Email',
  NOTE: 'Note',
  CONTACT: 'Contact',
  TASK: 'Task',
  CALENDAR: 'Calendar',
};

type TextCriterion = 'subjects' | 'senders' | 'recipients';

/** One criterion's values, checked: within the version's limit, each once, not blank, no control characters, no stray `*`. */
function texts(items: MailItemQueryInput, name: TextCriterion, version: GraphVersion): string[] {
  const list = items[name] ?? [];
  const argument = `input.mailItems.${name}`;
  if (list.length > LIMITS[version][name]) {
    throw badUserInput(argument, `'${argument}' holds ${list.length} values: Graph ${version} takes at most ${LIMITS[version][name]}.`);
  }
  const seen = new Map<string, number>();
  return list.map((raw, i) => {
    const at = `${argument}[${i}]`;
    // A subject is matched by its start: a trailing `*` says so already.
    const value = name === 'subjects' ? raw.replace(/\*$/, '') : raw;
    if (value.trim() === '' || value.length > MAX_VALUE || UNSAFE.test(value)) {
      throw badUserInput(at, `'${at}' must be 1 to ${MAX_VALUE} characters without control characters.`);
    }
    if (value.includes('*')) {
      throw badUserInput(
        at,
        `'${at}' holds a '*': ${name === 'subjects' ? 'only a trailing one is accepted' : 'wildcards are not accepted here'}.`,
      );
    }
    const twin = seen.get(value.toLowerCase());
    if (twin !== undefined) throw badUserInput(at, `'${at}' repeats '${argument}[${twin}]'.`);
    seen.set(value.toLowerCase(), i);
    return value;
  });
}

function kinds(items: MailItemQueryInput, version: GraphVersion): MailItemKind[] {
  const list = items.kinds ?? [];
  const argument = 'input.mailItems.kinds';
  const unique = [...new Set(list)];
  if (unique.length !== list.length) throw badUserInput(argument, `'${argument}' names a kind twice.`);
  if (list.length > LIMITS[version].kinds) {
    throw badUserInput(
      argument,
      `'${argument}' names ${list.length} kinds: Graph ${version} searches for at most ${LIMITS[version].kinds} at once; ` +
        'search once per kind.',
    );
  }
  return list;
}

const quoted = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Graph's `artifactQuery` for the criteria, in the form `version` takes. */
export function mailArtifactQuery(items: MailItemQueryInput, version: GraphVersion): GraphArtifactQuery {
  const subjects = texts(items, 'subjects', version);
  const senders = texts(items, 'senders', version);
  const recipients = texts(items, 'recipients', version);
  const kindList = kinds(items, version);
  const hasAttachment = items.hasAttachment ?? null;
  if (subjects.length + senders.length + recipients.length + kindList.length === 0 && hasAttachment === null) {
    throw badUserInput('input.mailItems', `'input.mailItems' names no criterion: give at least one.`);
  }
  if (version === 'beta') {
    const structured: GraphStructuredQueryExpression = {};
    if (subjects.length > 0) structured.subjects = subjects;
    if (senders.length > 0) structured.senders = senders;
    if (recipients.length > 0) structured.recipients = recipients;
    if (hasAttachment !== null) structured.hasAttachment = hasAttachment;
    if (kindList.length > 0) structured.items = kindList.map((k) => mailItemKind[k]);
    return { structuredQueryExpression: structured, artifactType: 'message' };
  }
  const terms = [
    ...subjects.map((s) => `Subject -like ${quoted(`${s}*`)}`),
    ...senders.map((s) => `Sender -like ${quoted(s)}`),
    ...recipients.map((r) => `Participants -like ${quoted(r)}`),
    ...(hasAttachment === null ? [] : [`HasAttachment -eq ${quoted(String(hasAttachment))}`]),
    ...kindList.map((k) => `MessageKind -eq ${quoted(MESSAGE_KIND[k])}`),
  ];
  return { queryExpression: terms.join(' -and '), artifactType: 'message' };
}

/**
 * The search request: `base` builds what every search sends; with `mailItems` the caller must be allowed to write
 * (checked first, before the arguments), exactly one protection unit is named, and the artifact query is added.
 */
export function checkedSearchRequest(
  ctx: GatewayContext,
  input: SearchRestorePointsInput,
  base: (input: SearchRestorePointsInput) => GraphRestorePointSearchRequest,
): GraphRestorePointSearchRequest {
  const mailItems: InputMaybe<MailItemQueryInput> | undefined = input.mailItems;
  if (mailItems === null || mailItems === undefined) return base(input);
  assertMayWrite(ctx, 'searchRestorePoints with input.mailItems', 'shows what a mailbox holds');
  const request = base(input);
  if (input.protectionUnitIds.length !== 1) {
    throw badUserInput(
      'input.protectionUnitIds',
      `'input.protectionUnitIds' names ${input.protectionUnitIds.length} protection units: ` +
        "a search with 'input.mailItems' names exactly one, a mailbox.",
    );
  }
  return { ...request, artifactQuery: mailArtifactQuery(mailItems, graphVersionOf(ctx.graph.baseUrl)) };
}
