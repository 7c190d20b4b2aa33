import pino, { type Logger as PinoLogger } from 'pino';

/**
 * The gateway's structured logger: pino, one JSON object per line, on stderr by default (stdout carries the start-up
 * banner). Every line passes one redaction step before pino serialises it: fields named like credentials
 * (`authorization`, `token`, `secret`, `assertion`, …) are replaced, and strings anywhere (messages, field values,
 * child bindings, error messages and stacks) lose bearer tokens, JWTs, credential query parameters and the configured
 * secrets. pino's own path-based `redact` cannot promise that (it only knows the paths it is given), so redaction
 * happens here, in pino's `formatters.log` hook, for whatever shape a field has.
 *
 * The interface stays `logger.info(msg, fields)` (message first, as the call sites read), mapped onto pino's
 * `info(fields, msg)`. Lines carry `level` as a label (`"info"`), `time` as ISO 8601, `msg`, `pid` and `hostname`.
 */

/** LOG_LEVEL: pino's levels, and `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFields = Readonly<Record<string, unknown>>;
export type LogLevelName = Exclude<LogLevel, 'silent'>;

export interface Logger {
  fatal(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  trace(msg: string, fields?: LogFields): void;
  isLevelEnabled(level: LogLevelName): boolean;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** LOG_LEVEL; `silent` writes nothing. */
  level: LogLevel;
  /** Receives each line without its newline. Default: stderr, written synchronously (no line is lost at exit). */
  write?: (line: string) => void;
  /** Exact strings (secrets) replaced wherever they occur. */
  secrets?: readonly string[];
}

const REDACTED = '[redacted]';
/** Field names whose values are credentials, whatever their type. */
const SECRET_KEY = /authorization|cookie|token|secret|assertion|password|passwd|private.?key|credential|api.?key|signature/i;
/** Keys pino writes itself; a field of the same name would duplicate them. */
const RESERVED = new Set(['time', 'level', 'msg']);
const MAX_DEPTH = 6;
const MAX_STRING = 8_192;

export function createLogger({ level, write, secrets = [] }: LoggerOptions): Logger {
  const replaced = secrets.filter((s) => s.length >= 4);
  const scrub = (text: string): string => scrubString(text, replaced);
  const redactFields = (fields: object): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (RESERVED.has(key)) continue;
      out[key] = redactValue(key, value, scrub, 0, new WeakSet());
    }
    return out;
  };
  const destination = write
    ? { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) }
    : pino.destination({ dest: 2, sync: true });
  const root = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactFields(object),
      },
    },
    destination,
  );

  const wrap = (instance: PinoLogger): Logger => {
    const at =
      (level: LogLevelName) =>
      (msg: string, fields?: LogFields): void => {
        if (!instance.isLevelEnabled(level)) return;
        instance[level](fields ?? {}, scrub(msg));
      };
    return {
      fatal: at('fatal'),
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
      trace: at('trace'),
      isLevelEnabled: (level) => instance.isLevelEnabled(level),
      // Bindings are redacted once here: pino formats only the root logger's bindings.
      child: (fields) => wrap(instance.child(redactFields(fields))),
    };
  };
  return wrap(root);
}

/** Writes nothing. */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => undefined });

/**
 * Removes credentials from free text: `Bearer …`/`Basic …` values, anything shaped like a JWT, credential
 * parameters of form bodies and URLs (`client_secret=`, `assertion=`, …), and the given secret strings.
 */
export function scrubString(text: string, secrets: readonly string[] = []): string {
  let out = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return out
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g, REDACTED)
    .replace(
      /\b((?:client_secret|client_assertion|assertion|access_token|refresh_token|id_token|password|token)=)[^\s&"',}]+/gi,
      `$1${REDACTED}`,
    );
}

function redactValue(key: string, value: unknown, scrub: (s: string) => string, depth: number, seen: WeakSet<object>): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null && typeof value !== 'boolean' && typeof value !== 'number')
    return REDACTED;
  return sanitize(value, scrub, depth, seen);
}

function sanitize(value: unknown, scrub: (s: string) => string, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof URL) return scrub(`${value.origin}${value.pathname}`);
  if (depth >= MAX_DEPTH) return '[depth limit]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return serializeError(value, scrub, depth, seen);
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => sanitize(item, scrub, depth + 1, seen));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = redactValue(String(k), v, scrub, depth + 1, seen);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(k, v, scrub, depth + 1, seen);
  return out;
}

/** An error's name, message, stack and own diagnostic fields (codes, statuses), and its causes, all redacted. */
function serializeError(err: Error, scrub: (s: string) => string, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: scrub(err.message) };
  for (const [k, v] of Object.entries(err)) {
    if (k === 'message' || k === 'stack' || k === 'cause') continue;
    out[k] = redactValue(k, v, scrub, depth + 1, seen);
  }
  if (err.stack) out.stack = scrub(err.stack);
  // GraphQLError keeps what was thrown in a non-enumerable `originalError`: that is where the diagnosis is.
  const original = (err as { originalError?: unknown }).originalError;
  if (original instanceof Error && original !== err) out.originalError = sanitize(original, scrub, depth + 1, seen);
  if (err.cause !== undefined) out.cause = sanitize(err.cause, scrub, depth + 1, seen);
  return out;
}
