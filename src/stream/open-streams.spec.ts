import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryTickBus } from '../bus/memory-tick-bus.js';
import { loadConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.service.js';
import { OpenStreams, type OpenPlace } from './open-streams.js';

/** A stream that records what the registry asks of it. */
function place(client: string, connection = new Socket()): OpenPlace & { log: string[] } {
  const log: string[] = [];
  return {
    client,
    connection,
    log,
    heartbeat: () => log.push('heartbeat'),
    end: () => log.push('end'),
    expire: () => log.push('expire'),
  };
}

describe('OpenStreams', () => {
  const bus = new MemoryTickBus(loadConfig({}));
  const metrics = new Metrics(bus);
  const registry = (env: Record<string, string> = {}) =>
    new OpenStreams(
      loadConfig({ MAX_CONNECTIONS: '3', MAX_CONNECTIONS_PER_CLIENT: '2', ...env }),
      metrics,
    );

  afterAll(() => {
    metrics.onModuleDestroy();
    bus.onModuleDestroy();
  });

  it('refuses a client past its own limit, then the process past its limit', () => {
    const streams = registry();
    expect(streams.add(place('ip:a'))).toBeUndefined();
    expect(streams.add(place('ip:a'))).toBeUndefined();
    expect(streams.add(place('ip:a'))).toBe('client');
    expect(streams.add(place('ip:b'))).toBeUndefined();
    expect(streams.add(place('ip:c'))).toBe('process');
    expect([streams.size, streams.openFor('ip:a')]).toEqual([3, 2]);
  });

  it('gives a place back once, however often it is removed, and never one it refused', () => {
    const streams = registry({ MAX_CONNECTIONS_PER_CLIENT: '1' });
    const first = place('ip:a');
    streams.add(first);
    const refused = place('ip:a');
    expect(streams.add(refused)).toBe('client');
    streams.remove(refused);
    expect(streams.openFor('ip:a')).toBe(1);
    streams.remove(first);
    streams.remove(first);
    expect([streams.size, streams.openFor('ip:a')]).toEqual([0, 0]);
  });

  it('refuses a request queued behind a stream on its connection, until that stream is gone', () => {
    const streams = registry();
    const connection = new Socket();
    const [head, waiting, behind] = [1, 2, 3].map(() => place('ip:a', connection));
    expect(streams.enter(head, false)).toBeUndefined();
    expect(streams.enter(waiting, true)).toBe('connection');
    // Another connection, or a request queued behind an answer that is not a stream, may wait.
    expect(streams.enter(place('ip:a'), true)).toBeUndefined();
    streams.remove(waiting);
    streams.remove(head);
    expect(streams.enter(behind, true)).toBeUndefined();
    // A request that waits its turn counts nothing meanwhile; only a stream heading it does, and
    // how many have headed it tells one that waited whether a stream came before it.
    expect(streams.enter(place('ip:a', connection), true)).toBeUndefined();
    expect(streams.streamsEnteredOn(connection)).toBe(1);
    expect(streams.enter(behind, false)).toBeUndefined();
    expect(streams.enter(place('ip:a', connection), true)).toBe('connection');
    expect(streams.streamsEnteredOn(connection)).toBe(2);
  });

  it('sends heartbeats to every open stream on one timer, stopped when none is open', async () => {
    const streams = registry({ HEARTBEAT_MS: '10' });
    const [first, second] = [place('ip:a'), place('ip:b')];
    streams.add(first);
    streams.add(second);
    while (first.log.length < 2) {
      await sleep(10);
    }
    streams.remove(first);
    streams.remove(second);
    const heard = first.log.length;
    expect(second.log).toEqual(first.log);
    await sleep(50);
    expect(first.log).toHaveLength(heard);
  });

  it('expires each stream at its time, and never one removed before it', async () => {
    const streams = registry({ MAX_CONNECTIONS_PER_CLIENT: '0', MAX_CONNECTIONS: '0' });
    const at = Date.now() + 20;
    const all = Array.from({ length: 100 }, (_, i) => place(`ip:${i}`));
    all.forEach((each) => {
      streams.add(each);
      streams.expireAt(each, at);
    });
    const [gone, ...rest] = all;
    streams.remove(gone);
    await sleep(60);
    expect(gone.log).not.toContain('expire');
    expect(rest.every((each) => each.log.filter((what) => what === 'expire').length === 1)).toBe(
      true,
    );
    rest.forEach((each) => streams.remove(each));
  });

  it('ends every open stream when the process drains, and says it drains', () => {
    const streams = registry();
    const open = [place('ip:a'), place('ip:b')];
    open.forEach((each) => streams.add(each));
    expect(streams.closing).toBe(false);
    streams.endAll();
    expect(open.map((each) => each.log)).toEqual([['end'], ['end']]);
    expect(streams.closing).toBe(true);
  });
});
