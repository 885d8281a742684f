/** One block of an event stream (the lines up to a blank line), with the fields it set. */
export interface SseBlock {
  event?: string;
  /** The `data:` lines joined by "\n"; undefined when the block had none. */
  data?: string;
  id?: string;
  retry?: number;
  /** Comment lines, without their leading colon and space. */
  comments: string[];
}

/**
 * An incremental parser of `text/event-stream` (WHATWG HTML, "Server-sent events"). Unlike a
 * parser that only dispatches blocks with data, it reports every block, so that a block with only
 * `id:` and `retry:` still moves the client's last event id, as the spec says it must.
 */
export class SseParser {
  private pending = '';
  private block: SseBlock = { comments: [] };
  private started = false;

  /** Parses `text`, the next piece of the stream, and returns the blocks it completed. */
  feed(text: string): SseBlock[] {
    const input = this.pending + text;
    // A CR at the end may be the first half of a CRLF: keep it for the next piece.
    const complete = input.endsWith('\r') ? input.length - 1 : input.length;
    const blocks: SseBlock[] = [];
    let start = 0;
    for (const match of input.slice(0, complete).matchAll(/\r\n|\r|\n/g)) {
      this.line(input.slice(start, match.index), blocks);
      start = match.index + match[0].length;
    }
    this.pending = input.slice(start);
    return blocks;
  }

  private line(line: string, blocks: SseBlock[]): void {
    if (line === '') {
      if (this.started) {
        blocks.push(this.block);
      }
      this.block = { comments: [] };
      this.started = false;
      return;
    }
    this.started = true;
    const colon = line.indexOf(':');
    if (colon === 0) {
      this.block.comments.push(line.slice(line.startsWith(': ') ? 2 : 1));
      return;
    }
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
    switch (field) {
      case 'event':
        this.block.event = value;
        break;
      case 'data':
        this.block.data = this.block.data === undefined ? value : `${this.block.data}\n${value}`;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.block.id = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.block.retry = Number(value);
        }
        break;
    }
  }
}
