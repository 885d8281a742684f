import {
  encodeComment,
  encodeFrame,
  HEARTBEAT,
  STREAM_EVENTS,
  type EventId,
  type SseFields,
} from '@tickstream/client/contract';
import { supersede, supersedeKey, type StreamItem } from './stream-item.js';

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * `parts` as one HTTP/1.1 chunk: its size in hex, the bytes, CRLF. Writing a client's frames as
 * one ready-made chunk, straight to its socket, is what makes a write cheap; see ClientWriter.
 */
export function chunkOf(parts: readonly Buffer[], length: number): Buffer {
  const size = `${length.toString(16)}\r\n`;
  const chunk = Buffer.allocUnsafe(size.length + length + CRLF.length);
  let at = chunk.write(size, 'latin1');
  for (const part of parts) {
    at += part.copy(chunk, at);
  }
  CRLF.copy(chunk, at);
  return chunk;
}

/** A frame that a client which is not reading may keep only the latest of, per key. */
export interface Supersedable {
  /** Frames of one key replace each other: see supersedeKey. */
  key: string;
  /** Which of two frames is newer, and the order held frames go out in: the item's id. */
  order: EventId;
}

/**
 * One SSE frame, encoded once into bytes, however many clients it goes to: a tick's frame is the
 * same for every unthrottled stream, so it is made once per tick, not once per client. A frame of
 * a stream item (see itemFrame) carries the item, which a throttled stream may frame again with
 * an id of its own.
 */
export class Frame {
  private chunked: Buffer | undefined;

  constructor(
    /** The frame's fields and the blank line that ends it. */
    readonly bytes: Buffer,
    /** Where the client resumes from once it has this frame; none on a comment. */
    readonly id?: EventId,
    readonly supersedable?: Supersedable,
    /** The tick, status change or bar the frame was made of. */
    readonly item?: StreamItem,
  ) {}

  /** The frame as a chunk of its own, made the first time a client is written it alone. */
  get chunk(): Buffer {
    return (this.chunked ??= chunkOf([this.bytes], this.bytes.length));
  }
}

/** An event of the service's own, its data as JSON. */
export function eventFrame(fields: Omit<SseFields, 'data'> & { data?: unknown }): Frame {
  const data = fields.data === undefined ? undefined : JSON.stringify(fields.data);
  return new Frame(Buffer.from(encodeFrame({ ...fields, data })), fields.id);
}

/** The `event:` of each kind of item. */
const EVENT_OF = {
  tick: STREAM_EVENTS.tick,
  status: STREAM_EVENTS.status,
  bar: STREAM_EVENTS.bar,
} as const;

/**
 * An item (a tick, a status change, a bar) as an event. `id` is the stream's watermark, which
 * under a throttle trails the item's own id while another of the stream's symbols holds one back.
 */
export function itemFrame(item: StreamItem, id: EventId = item.id): Frame {
  const text = encodeFrame({ event: EVENT_OF[item.kind], id, data: item.data });
  return new Frame(Buffer.from(text), id, { key: supersedeKey(item), order: item.id }, item);
}

/** What a client that is not reading keeps of two frames of one key: see supersede. */
export function supersedeFrame(older: Frame, newer: Frame): Frame {
  if (older.item === undefined || newer.item === undefined) {
    return newer;
  }
  const item = supersede(older.item, newer.item);
  return item === newer.item ? newer : itemFrame(item, newer.id);
}

/** Keeps idle connections open through proxies; clients ignore it. */
export const HEARTBEAT_FRAME = new Frame(Buffer.from(encodeComment(HEARTBEAT)));
