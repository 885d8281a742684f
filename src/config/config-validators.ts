import { isFQDN, isIP, ValidateBy, type ValidationArguments } from 'class-validator';
import proxyAddr from 'proxy-addr';
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

/**
 * `always`, or hours like `09:30-16:00 America/New_York` in a time zone the runtime knows, that
 * open before they close: overnight or empty hours would never open (a session is one weekday).
 */
export function IsMarketHours(): PropertyDecorator {
  return ValidateBy({
    name: 'isMarketHours',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        MARKET_HOURS_PATTERN.test(value) &&
        (value === 'always' || (isTimeZone(value.split(' ')[1]) && opensBeforeClose(value))),
      defaultMessage: () =>
        'must be "always" or weekday hours in a time zone that open before they close, ' +
        'like "09:30-16:00 America/New_York"',
    },
  });
}

/** `HH:MM` as minutes after midnight. */
export function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

function opensBeforeClose(setting: string): boolean {
  const [open, close] = setting.split(' ')[0].split('-').map(minutesOf);
  return open < close;
}

function isTimeZone(zone: string): boolean {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone !== '';
  } catch {
    return false;
  }
}

/** An IP address or a host name to listen on: `127.0.0.1`, `::`, `localhost`. */
export function IsHost(): PropertyDecorator {
  return ValidateBy({
    name: 'isHost',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        (isIP(value) || isFQDN(value, { require_tld: false, allow_numeric_tld: true })),
      defaultMessage: () =>
        'must be an IP address or a host name, such as 127.0.0.1, :: or localhost',
    },
  });
}

/** More proxies than any deployment puts in front of a service: a typo, most likely. */
const MAX_HOPS = 100;

/** `true`, `false`, a hop count, or a list that proxy-addr (Express's trust proxy) compiles. */
export function IsTrustProxy(): PropertyDecorator {
  return ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_HOPS) ||
        (Array.isArray(value) && value.every(isTrustedAddress)),
      defaultMessage: () =>
        `must be false, true, a hop count up to ${MAX_HOPS}, or comma-separated IP addresses, CIDRs and the names loopback, linklocal, uniquelocal`,
    },
  });
}

function isTrustedAddress(entry: unknown): boolean {
  if (typeof entry !== 'string' || entry === '') {
    return false;
  }
  try {
    proxyAddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}
