/**
 * The `text/event-stream` encoding (WHATWG HTML, "Server-sent events"): a frame is a few
 * `field: value` lines and a blank line. A value with a line break would end its line early and
 * start a field of its own, and NUL ends an id for EventSource, so a value with CR, LF or NUL is
 * refused here, whoever asks: a bug elsewhere must not become a forged frame.
 */
export interface SseFields {
  /** The event type; EventSource dispatches a frame without one as `message`. */
  event?: string;
  /** The event id: where the client resumes from once it has this frame. */
  id?: string;
  /** The reconnect delay in ms. */
  retry?: number;
  /** One line of data, JSON in every tickstream event. */
  data?: string;
}

export class FrameFieldError extends Error {
  constructor(field: string) {
    super(`the ${field} of an SSE frame must not contain CR, LF or NUL`);
    this.name = 'FrameFieldError';
  }
}

const LINE_BREAK_OR_NUL = /[\r\n\0]/;

function checked(field: string, value: string): string {
  if (LINE_BREAK_OR_NUL.test(value)) {
    throw new FrameFieldError(field);
  }
  return value;
}

/** One frame, fields in the order event, id, retry, data, ended by its blank line. */
export function encodeFrame({ event, id, retry, data }: SseFields): string {
  let text = event === undefined ? '' : `event: ${checked('event', event)}\n`;
  text += id === undefined ? '' : `id: ${checked('id', id)}\n`;
  if (retry !== undefined) {
    if (!Number.isSafeInteger(retry) || retry < 0) {
      throw new FrameFieldError('retry');
    }
    text += `retry: ${retry}\n`;
  }
  text += data === undefined ? '' : `data: ${checked('data', data)}\n`;
  return `${text}\n`;
}

/** A comment frame, which clients ignore: it keeps idle connections open through proxies. */
export function encodeComment(text: string): string {
  return `: ${checked('comment', text)}\n\n`;
}

/** The comment sent every HEARTBEAT_MS on an idle stream. */
export const HEARTBEAT = 'heartbeat';
