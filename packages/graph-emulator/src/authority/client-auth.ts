import { createHash, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { ClientAuthLevel } from './claims.js';
import { invalidClient, invalidRequest, OAuthError } from './oauth-error.js';
import { CLOCK_SKEW_SECONDS } from './verify-token.js';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What `registerClientCertificate` returns: the thumbprints a client names the certificate by (upper-case hex). */
export interface RegisteredCertificate {
  /** SHA-1 thumbprint (msal-node `clientCertificate.thumbprint`, assertion header `x5t`). */
  thumbprint: string;
  /** SHA-256 thumbprint (msal-node `clientCertificate.thumbprintSha256`, assertion header `x5t#S256`). */
  thumbprintSha256: string;
  subject: string;
  /** ISO date after which assertions signed with it are refused, as Entra refuses expired credentials. */
  notAfter: string;
}

interface CertificateEntry {
  info: RegisteredCertificate;
  publicKey: KeyObject;
  validFrom: number;
  validTo: number;
}

/** Certificates uploaded to the gateway's app registration, looked up by the thumbprint an assertion names. */
export class ClientCertificateRegistry {
  /** Keyed by the base64url thumbprint as it appears in `x5t` / `x5t#S256`. */
  private readonly bySha1 = new Map<string, CertificateEntry>();
  private readonly bySha256 = new Map<string, CertificateEntry>();

  register(pemCertificate: string): RegisteredCertificate {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pemCertificate);
    } catch {
      throw new TypeError('registerClientCertificate expects a PEM (or DER) X.509 certificate');
    }
    if (cert.publicKey.asymmetricKeyType !== 'rsa') {
      throw new TypeError('client certificates must hold an RSA key (Entra signs and verifies assertions with RS256/PS256)');
    }
    const sha1 = createHash('sha1').update(cert.raw).digest();
    const sha256 = createHash('sha256').update(cert.raw).digest();
    const info: RegisteredCertificate = {
      thumbprint: sha1.toString('hex').toUpperCase(),
      thumbprintSha256: sha256.toString('hex').toUpperCase(),
      subject: cert.subject,
      notAfter: new Date(cert.validTo).toISOString(),
    };
    const entry: CertificateEntry = {
      info,
      publicKey: cert.publicKey,
      validFrom: Date.parse(cert.validFrom),
      validTo: Date.parse(cert.validTo),
    };
    this.bySha1.set(sha1.toString('base64url'), entry);
    this.bySha256.set(sha256.toString('base64url'), entry);
    return info;
  }

  find(header: { x5t?: unknown; 'x5t#S256'?: unknown }): CertificateEntry | undefined {
    const s256 = header['x5t#S256'];
    const s1 = header.x5t;
    return (
      (typeof s256 === 'string' ? this.bySha256.get(normaliseThumbprint(s256)) : undefined) ??
      (typeof s1 === 'string' ? this.bySha1.get(normaliseThumbprint(s1)) : undefined)
    );
  }
}

/** Thumbprints travel base64url; tolerate padded standard base64 from hand-rolled clients. */
function normaliseThumbprint(value: string): string {
  return Buffer.from(value, 'base64').toString('base64url');
}

export interface ClientAuthContext {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  certificates: ClientCertificateRegistry;
  /** Audiences a client assertion may name: the token endpoint URLs of this authority. */
  isTokenEndpoint(aud: string): boolean;
}

export interface AuthenticatedClient {
  clientId: string;
  /** `azpacr`/`appidacr` of the tokens issued to it: 1 secret, 2 certificate. */
  level: ClientAuthLevel;
}

/**
 * Authenticates the confidential client of a token request: `client_secret` in the body (client_secret_post), in
 * HTTP Basic (client_secret_basic), or a `client_assertion` signed with a registered certificate (private_key_jwt).
 */
export async function authenticateClient(
  ctx: ClientAuthContext,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<AuthenticatedClient> {
  const basic = parseBasic(authorization);
  const formClientId = form.get('client_id') ?? undefined;
  if (basic && formClientId !== undefined && basic.id !== formClientId) {
    throw invalidRequest(900023, "The 'client_id' in the request body differs from the client in the Authorization header.");
  }
  const clientId = formClientId ?? basic?.id;
  const assertion = form.get('client_assertion') ?? undefined;
  let assertionIssuer: string | undefined;
  if (clientId === undefined && assertion !== undefined) {
    // Entra takes the client from the assertion's `iss` when the body names none.
    assertionIssuer = readAssertionIssuer(assertion);
  }
  const client = clientId ?? assertionIssuer;
  if (!client) throw invalidRequest(900144, "The request body must contain the following parameter: 'client_id'.");
  if (client !== ctx.clientId) {
    throw new OAuthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${client}' was not found in the directory '${ctx.tenantId}'. This can happen if the ` +
        'application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        'You may have sent your authentication request to the wrong tenant.',
    );
  }
  const secrets = [form.get('client_secret') ?? undefined, basic?.secret].filter((s): s is string => s !== undefined);
  if (secrets.length + (assertion !== undefined ? 1 : 0) > 1) {
    throw invalidRequest(
      90023,
      'The request provides more than one client credential (client_secret, client_assertion or an Authorization header); send exactly one.',
    );
  }
  const secret = secrets[0];
  if (secret !== undefined) {
    if (!sameSecret(secret, ctx.clientSecret)) {
      throw invalidClient(
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the ' +
          `client secret ID, for a secret added to app '${ctx.clientId}'.`,
      );
    }
    return { clientId: client, level: '1' };
  }
  if (assertion !== undefined) {
    await verifyClientAssertion(ctx, assertion, form.get('client_assertion_type') ?? undefined, client);
    return { clientId: client, level: '2' };
  }
  throw invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

function parseBasic(authorization: string | undefined): { id: string; secret: string } | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space === -1 || authorization.slice(0, space).toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(authorization.slice(space + 1).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw invalidClient(7000218, 'The Authorization header does not hold a client id and secret.');
  // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
  const formDecode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient(7000218, 'The Authorization header does not hold a client id and secret.');
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function readAssertionIssuer(assertion: string): string | undefined {
  const part = assertion.split('.')[1];
  if (!part) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

async function verifyClientAssertion(
  ctx: ClientAuthContext,
  assertion: string,
  assertionType: string | undefined,
  clientId: string,
): Promise<void> {
  if (assertionType === undefined) {
    throw invalidRequest(900144, "The request body must contain the following parameter: 'client_assertion_type'.");
  }
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
    throw invalidRequest(
      9002313,
      `Invalid request. Request is malformed or invalid. The 'client_assertion_type' must be '${JWT_BEARER_ASSERTION_TYPE}'.`,
    );
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalidRequest(50027, 'JWT token is invalid or malformed.');
  }
  const cert = ctx.certificates.find(header);
  if (!cert) {
    const named = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : typeof header.x5t === 'string' ? header.x5t : undefined;
    throw invalidClient(
      700027,
      'The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key ' +
        `was not found., Thumbprint of key used by client: '${named ? Buffer.from(named, 'base64').toString('hex').toUpperCase() : 'none'}'` +
        `, Please visit the Azure Portal, Entra ID, App registrations and upload a certificate for app '${ctx.clientId}'.]`,
    );
  }
  const now = Date.now();
  if (now < cert.validFrom || now > cert.validTo) {
    throw invalidClient(700027, `The certificate used to sign the client assertion is not valid now (it expires ${cert.info.notAfter}).`);
  }
  let payload: JWTPayload;
  try {
    // msal-node signs RS256 for a SHA-1 thumbprint and PS256 for a SHA-256 one.
    ({ payload } = await jwtVerify(assertion, cert.publicKey, {
      algorithms: ['RS256', 'PS256'],
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'aud', 'iss', 'sub'],
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired || (err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf')) {
      throw invalidClient(700024, `Client assertion is not within its valid time range. Current time: ${new Date(now).toISOString()}.`);
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      throw invalidClient(50027, `JWT token is invalid or malformed: the client assertion has no valid '${err.claim}' claim.`);
    }
    throw invalidClient(700027, 'Client assertion failed signature validation.');
  }
  if (payload.iss !== clientId || payload.sub !== clientId) {
    throw invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
  if (!audiences.some((aud) => ctx.isTokenEndpoint(aud))) {
    throw invalidClient(700212, `Client assertion audience '${audiences.join(', ')}' is not this tenant's token endpoint.`);
  }
}
