import { loadConfig } from '../config/app-config.js';
import { ConnectionRegistry, type PlaceHolder } from './connection-registry.service.js';

function holder(): PlaceHolder & { ended: number } {
  return {
    ended: 0,
    end() {
      this.ended++;
    },
  };
}

describe('ConnectionRegistry', () => {
  const registry = (env: Record<string, string> = {}) =>
    new ConnectionRegistry(
      loadConfig({ MAX_CONNECTIONS: '3', MAX_CONNECTIONS_PER_CLIENT: '2', ...env }),
    );

  it('refuses a client past its own limit, then the process past its limit', () => {
    const places = registry();
    expect(places.acquire('ip:a', holder())).toBeUndefined();
    expect(places.acquire('ip:a', holder())).toBeUndefined();
    expect(places.acquire('ip:a', holder())).toBe('client');
    expect(places.acquire('ip:b', holder())).toBeUndefined();
    expect(places.acquire('ip:c', holder())).toBe('process');
    expect([places.open, places.openFor('ip:a')]).toEqual([3, 2]);
  });

  it('gives a place back once, however often it is released', () => {
    const places = registry();
    const first = holder();
    places.acquire('ip:a', first);
    places.acquire('ip:a', holder());
    places.release('ip:a', first);
    places.release('ip:a', first);
    expect([places.open, places.openFor('ip:a')]).toEqual([1, 1]);
  });

  it('does not count a refused holder when it is released', () => {
    const places = registry({ MAX_CONNECTIONS_PER_CLIENT: '1' });
    places.acquire('ip:a', holder());
    const refused = holder();
    expect(places.acquire('ip:a', refused)).toBe('client');
    places.release('ip:a', refused);
    expect(places.openFor('ip:a')).toBe(1);
  });

  it('ends every holder when the process drains, and any that comes after', () => {
    const places = registry();
    const [open, late] = [holder(), holder()];
    places.acquire('ip:a', open);
    places.endAll();
    expect(open.ended).toBe(1);
    places.acquire('ip:b', late);
    expect(late.ended).toBe(1);
  });
});
