import { connect, createServer } from 'node:net';
import { busy, BUSY_TOKEN } from './support/busy-request.js';
import { openRawStream } from './support/raw-stream.js';
import { exited, listening, startProcess } from './support/server-process.js';

describe('the server process', () => {
  it('refuses a bad configuration with a clear message and exit code 1', async () => {
    const { code, output } = await exited(startProcess({ PORT: 'eighty', TICKS_PER_SECOND: '-5' }));
    expect(code).toBe(1);
    expect(output).toContain('PORT="eighty"');
    expect(output).toContain('TICKS_PER_SECOND="-5"');
  });

  it('refuses, in a line each, SYMBOLS past MAX_SYMBOLS and MARKET_HOURS that never open', async () => {
    const symbols = Array.from({ length: 12_000 }, (_, i) => `S${i}`).join(',');
    const { code, output } = await exited(
      startProcess({ SYMBOLS: symbols, MARKET_HOURS: '22:00-06:00 Europe/London' }),
    );
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/SYMBOLS=.*12000 symbols, more than MAX_SYMBOLS=10000/);
    expect(lines[2]).toMatch(/MARKET_HOURS="22:00-06:00 Europe\/London": .*open before they close/);
    expect(output.length).toBeLessThan(1_000);
  });

  it('listens on HOST only, and its log says the address it listens on', async () => {
    const { child, url, listeningOn } = await listening({ HOST: '127.0.0.2' });
    try {
      expect(listeningOn).toMatch(/^127\.0\.0\.2:\d+$/);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const elsewhere = url.replace('127.0.0.2', '127.0.0.1');
      await expect(fetch(`${elsewhere}/health/live`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('says in one line that its port is in use, and exits 1', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const { code, output } = await exited(
        startProcess({ HOST: '127.0.0.1', PORT: String(port) }),
      );
      expect(code).toBe(1);
      expect(output).toBe(
        `tickstream: cannot listen on 127.0.0.1:${port}: the port is in use by another process\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('drains on SIGTERM: stops accepting, ends open streams on a whole frame, exits promptly', async () => {
    const { child, url, exit } = await listening({
      TICKS_PER_SECOND: '500',
      SHUTDOWN_GRACE_MS: '4000',
    });
    try {
      const streams = await Promise.all(
        ['AAPL,MSFT', 'NVDA'].map((symbols) =>
          openRawStream(`${url}/api/stream?symbols=${symbols}`),
        ),
      );
      await Promise.all(streams.map((stream) => stream.waitForText(/event: tick/)));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await Promise.all(streams.map((stream) => stream.ended));
      for (const stream of streams) {
        expect(stream.text()).toMatch(/\n\n$/);
      }
      await expect(fetch(`${url}/api/symbols`)).rejects.toThrow();
      // The app closes, then the signal is re-raised so the exit status says why it stopped.
      const { code, signal, output } = await exit;
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(output).toContain('SIGTERM: draining');
      // Nothing held it: far sooner than the grace period.
      expect(Date.now() - signalledAt).toBeLessThan(2_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('cuts connections that outstay half of SHUTDOWN_GRACE_MS and still exits within it', async () => {
    const { child, url, exit } = await listening({
      SHUTDOWN_GRACE_MS: '1200',
      INGEST_TOKEN: BUSY_TOKEN,
    });
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    try {
      await busy(socket);
      const cut = new Promise((resolve) => socket.once('close', resolve));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await cut;
      const { signal, output } = await exit;
      const took = Date.now() - signalledAt;
      expect(signal).toBe('SIGTERM');
      expect(output).toContain('connections still open halfway through SHUTDOWN_GRACE_MS');
      expect(took).toBeGreaterThanOrEqual(600);
      expect(took).toBeLessThan(1_200);
    } finally {
      socket.destroy();
      child.kill('SIGKILL');
    }
  });
});
