import { errors, jwtVerify, type JWTPayload, type JWTHeaderParameters } from 'jose';
import type { SigningKeyRing } from './signing-keys.js';

/** Clock skew allowed on `exp` and `nbf`, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

export type TokenFailure = 'malformed' | 'signature' | 'algorithm' | 'lifetime' | 'audience' | 'issuer' | 'claims';

/** Why a token this authority was shown is not one of its own valid tokens. */
export class TokenRejected extends Error {
  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejected';
  }
}

class UnknownKey extends Error {}

export interface VerifiedToken {
  payload: JWTPayload;
  header: JWTHeaderParameters;
}

/**
 * Verifies a token as one issued by this authority: RS256 only (no `none`, no HMAC with the public key as
 * secret), signed by the current or previous key, one of `issuers`, one of `audiences`, within its lifetime.
 */
export async function verifyIssuedToken(
  token: string,
  keys: SigningKeyRing,
  expected: { issuers: readonly string[]; audiences: readonly string[]; tenantId: string },
): Promise<VerifiedToken> {
  let result: { payload: JWTPayload; protectedHeader: JWTHeaderParameters };
  try {
    result = await jwtVerify(
      token,
      (header) => {
        const key = keys.verificationKey(header.kid);
        if (!key) throw new UnknownKey('no signing key of this authority has that kid');
        return key;
      },
      {
        algorithms: ['RS256'],
        issuer: [...expected.issuers],
        audience: [...expected.audiences],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'iss', 'aud', 'tid', 'oid'],
      },
    );
  } catch (err) {
    throw classify(err);
  }
  if (result.payload.tid !== expected.tenantId) throw new TokenRejected('issuer', 'the token is for another tenant');
  return { payload: result.payload, header: result.protectedHeader };
}

function classify(err: unknown): TokenRejected {
  if (err instanceof TokenRejected) return err;
  if (err instanceof UnknownKey) return new TokenRejected('signature', err.message);
  if (err instanceof errors.JWTExpired) return new TokenRejected('lifetime', 'the token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return new TokenRejected('lifetime', 'the token is not yet valid');
    if (err.claim === 'aud') return new TokenRejected('audience', 'the token is for another audience');
    if (err.claim === 'iss') return new TokenRejected('issuer', 'the token has another issuer');
    return new TokenRejected('claims', `the token's "${err.claim}" claim is missing or invalid`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return new TokenRejected('algorithm', 'the token is not signed with RS256');
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return new TokenRejected('signature', 'the signature does not verify');
  if (err instanceof errors.JOSEError) return new TokenRejected('malformed', 'the token is not a well-formed JWT');
  return new TokenRejected('malformed', 'the token could not be read');
}
