import { SignJWT } from 'jose';
import type { KeyObject } from 'node:crypto';

export interface TokenSpec {
  sub: string;
  /** Symbols the bearer may see, or "*" for all. */
  symbols: readonly string[] | '*';
  /** Seconds since the epoch, or a period from now such as "1h", "30m", "7d". */
  expires: number | string;
}

export type SigningKey =
  { secret: string } | { privateKey: KeyObject; algorithm: 'RS256' | 'ES256' };

/** Signs a token the way TokenVerifier expects one. */
export function mintToken(
  { sub, symbols, expires }: TokenSpec,
  signing: SigningKey,
): Promise<string> {
  const [key, alg] =
    'secret' in signing
      ? [new TextEncoder().encode(signing.secret), 'HS256']
      : [signing.privateKey, signing.algorithm];
  return new SignJWT({ symbols: symbols === '*' ? '*' : [...symbols] })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(key);
}
