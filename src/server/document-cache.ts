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
 * of them the parse, the validation and several kilobytes of AST. Documents that do not parse or validate come back
 * as errors with the codes Apollo gives them over HTTP, and are not kept.
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

/** The document of `query`, parsed and validated, or why it cannot run. */
export type DocumentOf = (query: string) => DocumentNode | GraphQLError[];

export function createDocumentCache({ schema, parseOptions, validationRules }: DocumentCacheOptions): DocumentOf {
  const rules = [...specifiedRules, ...validationRules];
  const documents = new Map<string, DocumentNode>();
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
    const invalid = validate(schema, document, rules);
    // Codes as Apollo gives them over HTTP: without one, the error formatting would mask them as internal.
    if (invalid.length > 0) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    if (query.length <= MAX_CACHED_DOCUMENT_LENGTH) {
      documents.set(query, document);
      if (documents.size > MAX_CACHED_DOCUMENTS) documents.delete(documents.keys().next().value as string);
    }
    return document;
  };
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
