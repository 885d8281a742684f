import { compareEventIds, type EventId } from '@tickstream/client/contract';
import { toTick, type Tick } from '../../bus/tick.js';
import { eventFrame, type Frame } from '../wire/frame.js';
import type { StreamItem } from '../wire/stream-item.js';
import { catchUp, type CatchUpIo, type CatchUpPage } from './catch-up.js';
import type { Delivery } from './delivery.js';

const tick = (seq: number): Tick =>
  toTick(`1000-${seq}`, {
    symbol: 'A',
    price: seq,
    bid: seq,
    ask: seq,
    kind: 'trade',
    size: 1,
    bidSize: 100,
    askSize: 100,
    ts: seq,
  });

/** What a delivery was asked to do, in order. */
class RecordingDelivery implements Delivery {
  readonly calls: string[] = [];
  readonly replayed: EventId[] = [];

  replay(events: readonly StreamItem[]): void {
    this.calls.push(`replay ${events.length}`);
    this.replayed.push(...events.map((event) => event.id));
  }

  join(): void {
    this.calls.push('join');
  }

  goLive(covered: EventId): void {
    this.calls.push(`live ${covered}`);
  }

  leave(): void {
    this.calls.push('leave');
  }
}

/** History in memory, read a page of `pageSize` at a time; each step is recorded. */
class FakeIo implements CatchUpIo {
  readonly steps: string[] = [];
  replayedCount = 0;
  readonly sent: Frame[] = [];
  history: Tick[];
  stopAfterReads = Infinity;
  /** Published as the stream joins: it must come with the read after the join. */
  onJoin: Tick[] = [];
  openingPages: Frame[] = [];
  private reads = 0;

  constructor(
    count: number,
    private readonly pageSize: number,
  ) {
    this.history = Array.from({ length: count }, (_, n) => tick(n + 1));
  }

  read(after: EventId): Promise<CatchUpPage> {
    this.steps.push(`read ${after}`);
    return Promise.resolve(this.page(after));
  }

  readInTurn(after: EventId): Promise<CatchUpPage> {
    this.steps.push(`turn ${after}`);
    return Promise.resolve(this.page(after));
  }

  writable(): Promise<void> {
    this.steps.push('writable');
    return Promise.resolve();
  }

  ended(): boolean {
    return this.reads >= this.stopAfterReads;
  }

  replayed(count: number): void {
    this.replayedCount += count;
  }

  openingPage(): Promise<Frame | undefined> {
    return Promise.resolve(this.openingPages.shift());
  }

  send(frame: Frame): void {
    this.steps.push('send');
    this.sent.push(frame);
  }

  private page(after: EventId): CatchUpPage {
    this.reads++;
    const events = this.history
      .filter((event) => compareEventIds(event.id, after) > 0)
      .slice(0, this.pageSize);
    const last = events.at(-1);
    const newest = this.history.at(-1);
    return {
      events,
      next: last?.id ?? after,
      end: last === undefined || last === newest,
    };
  }
}

function run(delivery: RecordingDelivery, io: FakeIo, after: EventId, resuming: boolean) {
  const join = delivery.join.bind(delivery);
  delivery.join = () => {
    join();
    io.history.push(...io.onJoin);
  };
  const done = catchUp(delivery, after, resuming, io);
  return { done, replayed: () => io.replayedCount };
}

describe('catchUp', () => {
  it('joins a fresh stream at once, reads history once after its opening, and goes live', async () => {
    const delivery = new RecordingDelivery();
    const io = new FakeIo(3, 250);
    await run(delivery, io, '1000-1', false).done;
    expect(delivery.calls).toEqual(['join', 'replay 2', 'live 1000-3']);
    expect(io.steps).toEqual(['read 1000-1']);
  });

  it('replays a resume a page at a time, each in turn and once the client took the one before', async () => {
    const delivery = new RecordingDelivery();
    const io = new FakeIo(5, 2);
    const { done, replayed } = run(delivery, io, '0-0', true);
    await done;
    expect(io.steps).toEqual([
      'turn 0-0',
      'writable',
      'turn 1000-2',
      'writable',
      'turn 1000-4',
      // The page that reached the newest event: join, then one more read for what came meanwhile.
      'read 1000-5',
    ]);
    expect(delivery.calls).toEqual([
      'replay 2',
      'replay 2',
      'replay 1',
      'join',
      'replay 0',
      'live 1000-5',
    ]);
    expect(replayed()).toBe(5);
  });

  it('loses and repeats nothing across the join: what came as it joined is read once, then live', async () => {
    const delivery = new RecordingDelivery();
    const io = new FakeIo(3, 2);
    io.onJoin = [tick(4), tick(5), tick(6)];
    await run(delivery, io, '0-0', true).done;
    expect(delivery.replayed).toEqual(['1000-1', '1000-2', '1000-3', '1000-4', '1000-5', '1000-6']);
    expect(delivery.calls.at(-1)).toBe('live 1000-6');
    expect(delivery.calls.filter((call) => call === 'join')).toHaveLength(1);
  });

  it('stops where the stream ended, replaying nothing more and never going live', async () => {
    const delivery = new RecordingDelivery();
    const io = new FakeIo(10, 2);
    io.stopAfterReads = 2;
    await run(delivery, io, '0-0', true).done;
    expect(delivery.calls).toEqual(['replay 2']);
  });

  it('fails with a read that fails, replaying nothing', async () => {
    const delivery = new RecordingDelivery();
    const io = new FakeIo(4, 2);
    io.readInTurn = () => Promise.reject(new Error('bus down'));
    await expect(run(delivery, io, '0-0', true).done).rejects.toThrow('bus down');
    expect(delivery.calls).toEqual([]);
  });

  it('writes an opening in pages first, then resumes from it rather than holding live events', async () => {
    const delivery = new RecordingDelivery();
    const io = new FakeIo(3, 250);
    io.openingPages = [eventFrame({ data: 'page 2' }), eventFrame({ data: 'page 3' })];
    await run(delivery, io, '1000-1', false).done;
    expect(io.sent.map((frame) => frame.bytes.toString())).toEqual([
      'data: "page 2"\n\n',
      'data: "page 3"\n\n',
    ]);
    expect(io.steps).toEqual([
      'writable',
      'send',
      'writable',
      'send',
      'turn 1000-1',
      'read 1000-3',
    ]);
    expect(delivery.calls).toEqual(['replay 2', 'join', 'replay 0', 'live 1000-3']);
  });
});
