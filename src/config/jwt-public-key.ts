import { createPublicKey, type KeyObject } from 'node:crypto';

export type PublicKeyAlgorithm = 'RS256' | 'ES256';

/** Env files often carry a PEM on one line with literal "\n" sequences. */
export function normalisePem(value: string): string {
  return value.replace(/\\n/g, '\n').trim();
}

/**
 * The public key in `pem` and the one algorithm tokens signed for it may use: pinning the
 * algorithm to the key's type is what stops a token from choosing how it is checked.
 */
export function readPublicKey(
  pem: string,
): { key: KeyObject; algorithm: PublicKeyAlgorithm } | undefined {
  let key: KeyObject;
  try {
    key = createPublicKey(normalisePem(pem));
  } catch {
    return undefined;
  }
  if (key.asymmetricKeyType === 'rsa') {
    return { key, algorithm: 'RS256' };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { key, algorithm: 'ES256' };
  }
  return undefined;
}
