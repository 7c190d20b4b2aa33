import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { toGraphQLError } from '../graphql-errors.js';

/**
 * Parsed and validated documents by their text, for the WebSocket transport (Apollo does the same over HTTP).
 * Thousands of subscribers send the same few documents (with other variables); sharing one read-only AST saves each
 * of them the parse, the validation and several kilobytes of AST, and sharing one copy of the text saves each its own
 * (graphql-ws keeps every subscribe message for the subscription's life). Documents that do not parse or validate
 * come back as errors with the codes Apollo gives them over HTTP, and are not kept.
 */

export interface DocumentCacheOptions {
  schema: GraphQLSchema;
  /** The request limits of HTTP (`limits.ts`): token limit. */
  parseOptions: ParseOptions;
  /** The request limits of HTTP: depth, alias and directive rules, checked with graphql-js's own. */
  validationRules: readonly ValidationRule[];
}

/** Valid documents kept (least recently used out first), and the longest text kept. */
const MAX_CACHED_DOCUMENTS = 500;
const MAX_CACHED_DOCUMENT_LENGTH = 8_192;

/** A valid document, and its text. */
export interface ParsedDocument {
  document: DocumentNode;
  /**
   * The text the cache keeps for the document (equal to the query asked for, but one string for all who send it), or
   * the query itself when it keeps none.
   */
  text: string;
}

/** The document of `query`, parsed and validated, or why it cannot run. */
export type DocumentOf = (query: string) => ParsedDocument | GraphQLError[];

export function createDocumentCache({ schema, parseOptions, validationRules }: DocumentCacheOptions): DocumentOf {
  const rules = [...specifiedRules, ...validationRules];
  const documents = new Map<string, ParsedDocument>();
  return (query) => {
    const cached = documents.get(query);
    if (cached) {
      // Most recently used last: the oldest entry is the first to go.
      documents.delete(query);
      documents.set(query, cached);
      return cached;
    }
    let document: DocumentNode;
    try {
      document = parse(query, parseOptions);
    } catch (err) {
      return [err instanceof GraphQLError ? withCode(err, 'GRAPHQL_PARSE_FAILED') : toGraphQLError(err)];
    }
    const invalid = validateDocument(schema, document, rules);
    // Codes as Apollo gives them over HTTP: without one, the error formatting would mask them as internal.
    if (invalid.length > 0) return invalid;
    const parsed: ParsedDocument = { document, text: query };
    if (query.length <= MAX_CACHED_DOCUMENT_LENGTH) {
      documents.set(query, parsed);
      if (documents.size > MAX_CACHED_DOCUMENTS) documents.delete(documents.keys().next().value as string);
    }
    return parsed;
  };
}

/**
 * graphql-js's `validate`, except that a rule that throws answers as a validation error: graphql-js 16's single-root-
 * field rule throws, rather than reporting, on a directive with a variable on a subscription's root field
 * (`@skip(if: $v)`), which is a client's document, so a validation failure, never a crash. Errors carry Apollo's code.
 */
export function validateDocument(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[]): GraphQLError[] {
  let invalid: readonly GraphQLError[];
  try {
    invalid = validate(schema, document, rules);
  } catch {
    return [
      new GraphQLError('A subscription cannot use @skip or @include with a variable on its root field.', {
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ];
  }
  return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
}

/** The error with the `extensions.code` Apollo gives the same failure over HTTP. */
function withCode(error: GraphQLError, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED'): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}
