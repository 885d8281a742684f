import { Injectable } from '@nestjs/common';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { KeyObject } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { readPublicKey } from '../config/jwt-public-key.js';
import { InvalidTokenException } from './invalid-token.exception.js';
import { Principal } from './principal.js';
import type { PresentedToken } from './token-source.js';

/**
 * The furthest a Date reaches either side of the epoch, in seconds: a time claim beyond it is no
 * time at all (formatting `exp: -1e17` as a date threw, and the refusal became a 500).
 */
const MAX_TIME_S = 8.64e12;
const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

interface VerificationKey {
  key: Uint8Array | KeyObject;
  algorithm: string;
}

/** Checks a token's signature and claims, and says what it entitles its bearer to. */
@Injectable()
export class TokenVerifier {
  private readonly verification?: VerificationKey;

  constructor(config: AppConfig) {
    if (config.JWT_SECRET !== undefined) {
      this.verification = {
        key: new TextEncoder().encode(config.JWT_SECRET),
        algorithm: 'HS256',
      };
    } else if (config.JWT_PUBLIC_KEY !== undefined) {
      this.verification = readPublicKey(config.JWT_PUBLIC_KEY);
    }
  }

  /** The principal of a valid token; a 401 saying why for any other. */
  async verify({ token, field }: PresentedToken): Promise<Principal> {
    if (!this.verification) {
      throw new Error('no JWT key is configured');
    }
    const { key, algorithm } = this.verification;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [algorithm],
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw refusal(field, error);
    }
    if (!isCanonicalSignature(token)) {
      throw new InvalidTokenException(
        field,
        'token_invalid',
        'the signature is not as signed: unpadded base64url, exactly',
      );
    }
    const { sub, exp, symbols } = payload;
    const notATime = TIME_CLAIMS.find((claim) => !isTime(payload[claim] ?? 0));
    if (notATime !== undefined) {
      throw new InvalidTokenException(field, 'token_invalid', `"${notATime}" is not a time`);
    }
    if (exp === undefined) {
      throw new InvalidTokenException(field, 'token_invalid', 'the token has no exp claim');
    }
    if (typeof sub !== 'string' || sub === '') {
      throw new InvalidTokenException(field, 'token_invalid', '"sub" must be a non-empty string');
    }
    const entitled = readSymbolsClaim(symbols);
    if (!entitled) {
      throw new InvalidTokenException(
        field,
        'token_invalid',
        'the symbols claim must be "*" (or ["*"]) for every symbol, or a list of symbols',
      );
    }
    return new Principal(sub, entitled, exp * 1000);
  }
}

/**
 * Whether the signature segment is the one spelling of its bytes (RFC 7515: base64url without
 * padding). Decoders forgive padding and the unused low bits of the last character, so a token
 * with `=` appended, or its last character re-spelt, verifies as the token it was made from: one
 * token would have many spellings, each passing any check that keys on the token's text.
 */
function isCanonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  return Buffer.from(signature, 'base64url').toString('base64url') === signature;
}

/** Seconds since the epoch that a Date can hold. */
function isTime(seconds: number): boolean {
  return Math.abs(seconds) <= MAX_TIME_S;
}

/** `"*"` and `["*"]` mean every symbol; a list that names `"*"` among symbols is refused. */
function readSymbolsClaim(claim: unknown): '*' | ReadonlySet<string> | undefined {
  if (claim === '*' || (Array.isArray(claim) && claim.length === 1 && claim[0] === '*')) {
    return '*';
  }
  if (
    Array.isArray(claim) &&
    claim.every((symbol) => typeof symbol === 'string' && symbol !== '*')
  ) {
    return new Set(claim.map((symbol: string) => symbol.toUpperCase()));
  }
  return undefined;
}

function refusal(field: string, error: unknown): InvalidTokenException {
  if (error instanceof errors.JWTExpired) {
    const exp = error.payload.exp;
    const when =
      exp === undefined || !isTime(exp) ? '' : ` at ${new Date(exp * 1000).toISOString()}`;
    return new InvalidTokenException(field, 'token_expired', `the token expired${when}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new InvalidTokenException(field, 'token_invalid', 'the signature does not verify');
  }
  if (
    error instanceof errors.JWTClaimValidationFailed ||
    error instanceof errors.JOSEAlgNotAllowed
  ) {
    return new InvalidTokenException(field, 'token_invalid', error.message);
  }
  if (error instanceof errors.JOSEError) {
    return new InvalidTokenException(field, 'token_malformed', 'not a signed JWT');
  }
  throw error;
}
