import {
  isTradingState,
  MAX_STATUS_REASON_LENGTH,
  type TradingState,
} from '@tickstream/client/contract';
import { InvalidFieldException } from '../../validation/invalid-field.exception.js';
import { isLineOfText } from '../../validation/line-of-text.js';
import { prototypeKey } from '../../validation/prototype-key.js';

export interface StatusRequest {
  symbol: string;
  state: TradingState;
  reason: string | null;
}

const FIELDS = new Set(['symbol', 'state', 'reason']);

/**
 * The body of POST /api/status, `{"symbol","state","reason"?}`, or a 400 naming the first bad
 * field: the symbol must be served, the state one of open, halted, closed, and the reason, if
 * any, one line of text (isLineOfText).
 */
export function parseStatusBody(
  body: string,
  isKnownSymbol: (symbol: string) => boolean,
): StatusRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidFieldException('body', null, `not valid JSON: ${String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidFieldException('body', null, 'must be an object like {"symbol","state"}');
  }
  const unknown = prototypeKey(value) ?? Object.keys(value).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) {
    throw new InvalidFieldException(unknown, null, `property ${unknown} should not exist`);
  }
  const { symbol, state, reason = null } = value as Record<string, unknown>;
  if (typeof symbol !== 'string' || !isKnownSymbol(symbol.toUpperCase())) {
    throw new InvalidFieldException('symbol', symbol, 'must be a symbol served here');
  }
  if (!isTradingState(state)) {
    throw new InvalidFieldException('state', state, 'must be one of open, halted, closed');
  }
  if (
    reason !== null &&
    (typeof reason !== 'string' ||
      reason.length > MAX_STATUS_REASON_LENGTH ||
      !isLineOfText(reason))
  ) {
    throw new InvalidFieldException(
      'reason',
      reason,
      `must be a line of at most ${MAX_STATUS_REASON_LENGTH} printable characters, without line or bidi controls`,
    );
  }
  return { symbol: symbol.toUpperCase(), state, reason };
}
