import { HttpException } from '@nestjs/common';
import type { ErrorBody } from '@tickstream/client/contract';
import { STATUS_CODES } from 'node:http';

/** What a refusal may add to the field it names. */
export type ErrorDetails = Pick<ErrorBody, 'value' | 'reason' | 'limit'>;

/** The JSON body of every 4xx: the field at fault, why, and what was sent where that helps. */
export function errorBody(
  status: number,
  field: string,
  why: string,
  details: ErrorDetails = {},
): ErrorBody {
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message: `${field}: ${why}`,
    field,
    ...details,
  };
}

/**
 * Every 4xx the API answers, whatever refused the request: its body (the contract's ErrorBody)
 * names the field at fault, so that a client can say exactly what was wrong.
 */
export class FieldErrorException extends HttpException {
  constructor(status: number, field: string, why: string, details: ErrorDetails = {}) {
    super(errorBody(status, field, why, details), status);
  }
}
