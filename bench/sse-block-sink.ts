import { StringDecoder } from 'node:string_decoder';
import { SseParser, type SseBlock } from '@tickstream/client/contract';
import type { ByteSink } from './byte-sink.js';

/**
 * A stream's body read the way the typed client reads it: decoded as UTF-8 and parsed by the
 * contract's SseParser into blocks. Slower than the tick counter; for the streams that are
 * checked event by event.
 */
export class SseBlockSink implements ByteSink {
  private readonly decoder = new StringDecoder('utf8');
  private readonly parser = new SseParser();

  constructor(private readonly onBlock: (block: SseBlock) => void) {}

  feed(bytes: Uint8Array, start: number, end: number): void {
    const text = this.decoder.write(
      Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start),
    );
    for (const block of this.parser.feed(text)) {
      this.onBlock(block);
    }
  }
}
