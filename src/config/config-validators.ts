import { ValidateBy, type ValidationArguments } from 'class-validator';
import { readPublicKey } from './jwt-public-key.js';

/** A PEM public key that tokens can be verified with: RSA (RS256) or EC P-256 (ES256). */
export function IsJwtPublicKey(): PropertyDecorator {
  return ValidateBy({
    name: 'isJwtPublicKey',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && readPublicKey(value) !== undefined,
      defaultMessage: () => 'must be a PEM public key: RSA (RS256) or EC P-256 (ES256)',
    },
  });
}

/** On STREAM_AUTH: `jwt` needs exactly one way to verify tokens. */
export function HasOneVerificationKey(): PropertyDecorator {
  return ValidateBy({
    name: 'hasOneVerificationKey',
    validator: {
      validate: (value: unknown, { object }: ValidationArguments) => {
        const { JWT_SECRET, JWT_PUBLIC_KEY } = object as Record<string, unknown>;
        return value !== 'jwt' || (JWT_SECRET === undefined) !== (JWT_PUBLIC_KEY === undefined);
      },
      defaultMessage: () =>
        'jwt needs exactly one of JWT_SECRET (HS256) or JWT_PUBLIC_KEY (RS256/ES256)',
    },
  });
}

/** Each entry is `*` or an origin such as `https://app.example.com:8443`, nothing more. */
export function IsOriginList(): PropertyDecorator {
  return ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((entry) => entry === '*' || isOrigin(entry)),
      defaultMessage: () =>
        'must be * or comma-separated origins like https://app.example.com (scheme, host, port)',
    },
  });
}

function isOrigin(entry: unknown): boolean {
  if (typeof entry !== 'string') {
    return false;
  }
  try {
    const url = new URL(entry);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry;
  } catch {
    return false;
  }
}

/** `MARKET_HOURS`: `always`, or trading hours on weekdays in a time zone. */
export const MARKET_HOURS_PATTERN =
  /^(always|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d \S+)$/;

/** `always`, or hours like `09:30-16:00 America/New_York` in a time zone the runtime knows. */
export function IsMarketHours(): PropertyDecorator {
  return ValidateBy({
    name: 'isMarketHours',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        MARKET_HOURS_PATTERN.test(value) &&
        (value === 'always' || isTimeZone(value.split(' ')[1])),
      defaultMessage: () =>
        'must be "always" or weekday hours in a time zone, like "09:30-16:00 America/New_York"',
    },
  });
}

function isTimeZone(zone: string): boolean {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone !== '';
  } catch {
    return false;
  }
}
