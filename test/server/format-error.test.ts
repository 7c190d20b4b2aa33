import { buildSchema, execute, GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createFormatError } from '../../src/server/format-error.js';

/**
 * The error formatting both transports share: public codes pass with their message, everything else is masked,
 * and "Did you mean …?" hints go unless the caller keeps them (introspection on).
 */

const schema = buildSchema(`
  directive @tag(name: String) on FIELD
  enum Status { DRAFT ACTIVE ACTIVATING COMPLETED FAILED }
  input Filter { status: [Status!] statusIn: [Status!] }
  interface Session { id: ID! }
  type Site implements Session { id: ID! siteName: String }
  type Mail implements Session { id: ID! mailbox: String }
  type Query {
    session(id: ID!): Session
    sessions(filter: Filter, first: Int): [Session!]!
    sessionCount: Int
    sessionIds: [ID!]
  }
`);

/** graphql-js's own messages for a document (validation) or for variables (coercion during execution). */
async function messagesFor(document: string, variableValues?: Record<string, unknown>): Promise<string[]> {
  const ast = parse(document);
  const invalid = validate(schema, ast);
  if (invalid.length > 0) return invalid.map((e) => e.message);
  const result = await execute({ schema, document: ast, ...(variableValues ? { variableValues } : {}) });
  return (result.errors ?? []).map((e) => e.message);
}

/** Every form graphql-js 16 appends a suggestion in (its `didYouMean` callers). */
const TYPOS: Array<[string, string, Record<string, unknown>?]> = [
  ['one field', '{ sessionCont }'],
  ['several fields, "x, y, or z"', '{ session { i } sessionIdz sessionz }'],
  ['an inline fragment', '{ session(id: "1") { siteName } }'],
  ['an argument', '{ sessions(firts: 1) { id } }'],
  ['a directive argument', '{ sessionCount @tag(nam: "x") }'],
  ['a type', 'query ($f: Filtre) { sessions(filter: $f) { id } }'],
  ['an input field', '{ sessions(filter: { statuss: [DRAFT] }) { id } }'],
  ['an enum literal', '{ sessions(filter: { status: [DRAF] }) { id } }'],
  ['two enum values', '{ sessions(filter: { status: [ACTIVAT] }) { id } }'],
  ['an enum value in a variable', 'query ($f: Filter) { sessions(filter: $f) { id } }', { f: { status: ['ACTIV'] } }],
  ['an input field in a variable', 'query ($f: Filter) { sessions(filter: $f) { id } }', { f: { statu: ['ACTIVE'] } }],
];

const formatted = (message: string, code = 'GRAPHQL_VALIDATION_FAILED'): { message: string; extensions: { code: string } } => ({
  message,
  extensions: { code },
});

describe('createFormatError', () => {
  it('drops every "Did you mean …?" hint graphql-js writes, by default and with hideSuggestions', async () => {
    for (const format of [createFormatError(() => undefined), createFormatError(() => undefined, { hideSuggestions: true })]) {
      for (const [label, document, variables] of TYPOS) {
        const messages = await messagesFor(document, variables);
        expect(messages.join('\n'), label).toMatch(/Did you mean/);
        for (const message of messages) {
          const out = format(formatted(message), new GraphQLError(message)).message;
          expect(out, label).not.toMatch(/Did you mean|\?$/);
          expect(out, label).toMatch(/\.$/);
          expect(message.startsWith(out), label).toBe(true);
        }
      }
    }
  });

  it('keeps the hints when suggestions are allowed (introspection on)', async () => {
    const format = createFormatError(() => undefined, { hideSuggestions: false });
    for (const [label, document, variables] of TYPOS) {
      for (const message of await messagesFor(document, variables)) {
        expect(format(formatted(message), new GraphQLError(message)).message, label).toBe(message);
      }
    }
  });

  it('changes nothing else: other messages, public extensions, masked internals', () => {
    const logged: unknown[] = [];
    const format = createFormatError((_id, error) => logged.push(error));
    const plain = 'Value "x" is not a valid restore session id. What did you mean by it?';
    expect(
      format({ message: plain, extensions: { code: 'BAD_USER_INPUT', argument: 'id', http: { status: 400 }, secret: 'x' } }, undefined),
    ).toEqual({
      message: plain,
      extensions: { code: 'BAD_USER_INPUT', argument: 'id' },
    });
    const internal = new Error('Did you mean "token"? at /srv/x.ts:1');
    const masked = format({ message: internal.message, path: ['a'] }, internal);
    expect(masked).toEqual({
      message: expect.stringMatching(/^Internal server error \(correlation id [0-9a-f-]{36}\)\.$/),
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) },
      path: ['a'],
    });
    expect(logged).toEqual([internal]);
  });
});
