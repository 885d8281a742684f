import { metric, metricReaches as reached } from './support/metrics.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

describe('GET /metrics', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startServer();
  });

  afterEach(async () => {
    await server.close();
  });

  /** Polls a metric until it satisfies `check`. */
  async function metricReaches(name: string, check: (value: number) => boolean): Promise<number> {
    const value = await reached(server, name, check);
    expect(check(value)).toBe(true);
    return value;
  }

  it('serves the Prometheus text format with the runtime and the stream metrics', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'tickstream_streams_open',
      'tickstream_streams_opened_total',
      'tickstream_streams_closed_total',
      'tickstream_events_sent_total',
      'tickstream_bytes_sent_total',
      'tickstream_events_conflated_total',
      'tickstream_slow_clients_cut_total',
      'tickstream_events_replayed_total',
      'tickstream_resets_total',
      'tickstream_tick_to_write_lag_seconds',
      'tickstream_bus_lag_seconds',
      'tickstream_bus_subscriptions',
      'tickstream_replays_running',
      'tickstream_replays_waiting',
      'tickstream_ticks_published_total',
      'tickstream_halts_total',
      'tickstream_ingest_refused_total',
      'tickstream_newest_tick_age_seconds',
      'tickstream_symbols',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(await metric(server, 'tickstream_bus_lag_seconds_count')).toBeGreaterThan(0);
  });

  it('counts streams, events, bytes and write lag as clients come and go', async () => {
    const one = server.connect('symbols=AAPL,MSFT');
    const two = server.connect('symbols=NVDA');
    await one.waitFor((c) => c.ticks().length >= 5);
    await two.waitFor((c) => c.ticks().length >= 5);
    expect(await metric(server, 'tickstream_streams_open')).toBe(2);
    expect(await metric(server, 'tickstream_streams_opened_total')).toBe(2);
    // One per symbol read, shared by the streams that read it.
    expect(await metric(server, 'tickstream_bus_subscriptions')).toBe(3);
    // Snapshots and ticks: all that arrived was counted when sent.
    const received = one.events.length + two.events.length;
    const sent = await metric(server, 'tickstream_events_sent_total');
    expect(sent).toBeGreaterThanOrEqual(received);
    expect(await metric(server, 'tickstream_bytes_sent_total')).toBeGreaterThan(sent * 50);
    expect(await metric(server, 'tickstream_tick_to_write_lag_seconds_count')).toBeGreaterThan(0);

    two.close();
    await metricReaches('tickstream_streams_open', (value) => value === 1);
    expect(await metric(server, 'tickstream_streams_closed_total')).toBe(1);
  });

  it('counts conflated, replayed and reset events', async () => {
    const throttled = server.connect('symbols=NVDA&throttle=1000');
    await throttled.waitFor((c) => c.ticks().length >= 1);
    await metricReaches('tickstream_events_conflated_total', (value) => value > 0);

    const leaving = server.connect('symbols=AAPL');
    await leaving.waitFor((c) => c.ticks().length >= 3);
    leaving.close();
    await sleep(300);
    const back = server.connect('symbols=AAPL', { lastEventId: leaving.lastEventId });
    await back.waitFor((c) => c.ticks().length >= 3);
    expect(await metric(server, 'tickstream_events_replayed_total')).toBeGreaterThan(0);
    expect(await metric(server, 'tickstream_resets_total')).toBe(0);

    const stale = server.connect('symbols=AAPL', { lastEventId: '1-0' });
    await stale.waitFor((c) => c.of('reset').length === 1);
    expect(await metric(server, 'tickstream_resets_total')).toBe(1);
  });
});
