/** A TRUST_PROXY value, in the form Express's `trust proxy` setting takes it. */
export type TrustProxy = boolean | number | string[];

/**
 * Reads TRUST_PROXY as Express would, except that `false` means false (Express would read the
 * string as an address list). Addresses are checked by the validator, not here.
 */
export function readTrustProxy(value: string): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === 'false') {
    return trimmed === 'true';
  }
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  return trimmed.split(',').map((entry) => entry.trim());
}
