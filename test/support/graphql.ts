import { expect } from 'vitest';
/** GraphQL over HTTP as a client sends it: one POST with a JSON body, the answer read as JSON. */

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: {
      code?: string;
      argument?: string;
      graph?: { status: number; code: string; requestId: string | null; clientRequestId: string | null };
      [key: string]: unknown;
    };
  }>;
  /** The raw body text, for "nothing leaks" assertions. */
  text: string;
}

/** POSTs `request` to `url` (a gateway's `/graphql`, a supergraph's) with `headers`, e.g. `{ authorization: 'Bearer …' }`. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  request: GraphQLRequest,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  const text = await res.text();
  const body = JSON.parse(text) as Pick<GraphQLResponse<T>, 'data' | 'errors'>;
  return { status: res.status, headers: res.headers, text, ...body };
}

/** The data of an answer without errors, for a test's setup steps; anything else throws with what came back. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors || response.data == null) throw new Error(`GraphQL answered ${response.status}: ${response.text}`);
  return response.data;
}

/**
 * The one error of a failed mutation, after checking that nothing else came back and nothing leaked. Mutation fields are
 * nullable, so the failed field alone is null, at the path its error names.
 */
export function onlyError(
  gw: { t: { emu: { origin: string } } },
  res: GraphQLResponse<unknown>,
): NonNullable<GraphQLResponse['errors']>[number] {
  expect(res.status).toBe(200);
  expect(res.errors, JSON.stringify(res.errors)).toHaveLength(1);
  const field = res.errors![0]!.path?.[0];
  expect(typeof field, 'the error names its mutation field').toBe('string');
  expect(res.data).toEqual({ [field as string]: null });
  expect(res.text).not.toContain(gw.t.emu.origin);
  expect(res.text).not.toMatch(/"stack"|\bat .+\.(ts|js):\d+/);
  return res.errors![0]!;
}
