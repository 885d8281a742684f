import { SignJWT } from 'jose';

export interface SoakToken {
  sub: string;
  /** Symbols the bearer may see, or "*" for all. */
  symbols: readonly string[] | '*';
  /** Seconds since the epoch, or a period from now such as "1h". */
  expires: number | string;
}

/**
 * An HS256 token with the claims tickstream's STREAM_AUTH=jwt reads (docs/protocol.md): `sub`,
 * `symbols` and `exp`, signed with the server's JWT_SECRET.
 */
export function mintToken({ sub, symbols, expires }: SoakToken, secret: string): Promise<string> {
  return new SignJWT({ symbols: symbols === '*' ? '*' : [...symbols] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(new TextEncoder().encode(secret));
}
