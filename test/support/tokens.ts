import { mintToken, type TokenSpec } from '../../src/auth/mint-token.js';

/** The HS256 secret the auth tests' servers verify with. */
export const SECRET = 'test-secret-that-is-long-enough-for-hs256';

export const JWT_SERVER = { STREAM_AUTH: 'jwt', JWT_SECRET: SECRET };

/** A token signed with SECRET; an hour by default. */
export function token(spec: Partial<TokenSpec> = {}): Promise<string> {
  return mintToken({ sub: 'alice', symbols: '*', expires: '1h', ...spec }, { secret: SECRET });
}

export const bearer = (value: string) => ({ Authorization: `Bearer ${value}` });
