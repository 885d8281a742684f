import { NEVER, Subject } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamCounters } from '../metrics/stream-counters.js';
import { eventFrame, HEARTBEAT, type Frame } from './frames.js';
import { OpenStreams, type FrameWriter } from './open-streams.js';

/** A writer that records what it is asked to do. */
function recorder(): FrameWriter & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    send: (frame: Frame) => log.push(frame === HEARTBEAT ? 'heartbeat' : (frame.id ?? '?')),
    end: () => log.push('end'),
    dispose: () => log.push('dispose'),
  };
}

describe('OpenStreams', () => {
  it('writes the frames, ends the writer before completing, and counts the stream', () => {
    const counters = new StreamCounters();
    const streams = new OpenStreams(60_000, counters);
    const frames = new Subject<Frame>();
    const writer = recorder();
    let completed = false;
    streams.write(frames, () => writer).subscribe({ complete: () => (completed = true) });
    expect([counters.opened, counters.open]).toEqual([1, 1]);
    frames.next(eventFrame({ id: '1000-1' }));
    frames.complete();
    expect(completed).toBe(true);
    expect(writer.log).toEqual(['1000-1', 'end', 'dispose']);
    expect([counters.open, counters.closed]).toEqual([0, 1]);
    expect(frames.observed).toBe(false);
  });

  it('writes what waits before failing with the frames', () => {
    const streams = new OpenStreams(60_000, new StreamCounters());
    const frames = new Subject<Frame>();
    const writer = recorder();
    let failed: unknown;
    streams.write(frames, () => writer).subscribe({ error: (error: unknown) => (failed = error) });
    frames.error(new Error('bus down'));
    expect(failed).toEqual(new Error('bus down'));
    expect(writer.log).toEqual(['end', 'dispose']);
  });

  it('makes the writer only when subscribed, and lets go of the frames when unsubscribed', () => {
    const streams = new OpenStreams(60_000, new StreamCounters());
    const frames = new Subject<Frame>();
    const writer = recorder();
    let made = 0;
    const stream = streams.write(frames, () => {
      made++;
      return writer;
    });
    expect(made).toBe(0);
    stream.subscribe().unsubscribe();
    expect(made).toBe(1);
    expect(frames.observed).toBe(false);
    expect(writer.log).toEqual(['dispose']);
  });

  it('sends heartbeats to every open stream on one timer, stopped when none is open', async () => {
    const streams = new OpenStreams(10, new StreamCounters());
    const [first, second] = [recorder(), recorder()];
    const heartbeats = (writer: { log: string[] }) =>
      writer.log.filter((entry) => entry === 'heartbeat').length;
    const one = streams.write(NEVER, () => first).subscribe();
    const two = streams.write(NEVER, () => second).subscribe();
    while (heartbeats(first) < 2) {
      await sleep(10);
    }
    one.unsubscribe();
    two.unsubscribe();
    const heard = heartbeats(first);
    expect(heartbeats(second)).toBe(heard);
    await sleep(50);
    expect(heartbeats(first)).toBe(heard);
  });

  it('ends every open stream, writing what waits', () => {
    const streams = new OpenStreams(60_000, new StreamCounters());
    const writers = [recorder(), recorder()];
    const completed: number[] = [];
    writers.forEach((writer, i) =>
      streams.write(NEVER, () => writer).subscribe({ complete: () => completed.push(i) }),
    );
    streams.endAll();
    expect(completed).toEqual([0, 1]);
    writers.forEach((writer) => expect(writer.log).toEqual(['end', 'dispose']));
  });
});
