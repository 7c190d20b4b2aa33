/** A Graph error: rendered as Graph's error envelope (`{"error": {code, message, innerError, details}}`). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: {
      details?: Array<{ code: string; message: string; target?: string }>;
      headers?: Record<string, string>;
      innerCode?: string;
      /** Repeats the reason in `innerError.message`, as Graph does for some OData refusals. */
      innerMessage?: string;
    } = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const badRequest = (message: string, code = 'BadRequest'): GraphError => new GraphError(400, code, message);
export const notFound = (message: string, code = 'ResourceNotFound'): GraphError => new GraphError(404, code, message);
export const forbidden = (message: string, code = 'Forbidden'): GraphError => new GraphError(403, code, message);

/** Graph's error envelope with `innerError.date`, `request-id` and the echoed `client-request-id`. */
export function errorEnvelope(
  err: GraphError,
  requestId: string,
  clientRequestId: string | undefined,
  now: Date = new Date(),
): { error: Record<string, unknown> } {
  const innerError: Record<string, unknown> = {
    ...(err.extra.innerMessage ? { message: err.extra.innerMessage } : {}),
    date: now.toISOString().slice(0, 19),
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
  };
  if (err.extra.innerCode) innerError.code = err.extra.innerCode;
  const error: Record<string, unknown> = { code: err.code, message: err.message, innerError };
  if (err.extra.details) error.details = err.extra.details;
  return { error };
}
