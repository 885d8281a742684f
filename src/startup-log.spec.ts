import { loadConfig } from './config/app-config.js';
import { pageUrl, roleSummary } from './startup-log.js';

describe('the start-up log', () => {
  it("gives the page's URL on the address listened on, a person's for every interface", () => {
    expect(pageUrl('127.0.0.2', 3000)).toBe('http://127.0.0.2:3000/');
    expect(pageUrl('::1', 3000)).toBe('http://[::1]:3000/');
    expect(pageUrl('::', 3000)).toBe('http://localhost:3000/');
    expect(pageUrl('0.0.0.0', 8080)).toBe('http://localhost:8080/');
  });

  it('says so when a feed writes nothing: no simulated market and no ingestion', () => {
    const config = loadConfig({ ROLE: 'feed', BUS: 'redis', FEED: 'none' });
    expect(roleSummary(config, 'Redis stream x:ticks on h:6379', 'http://h:1/')).toBe(
      'ROLE=feed BUS=redis: writes nothing to partition 0 (Redis stream x:ticks on h:6379); ' +
        'serves no streams: they are on the ROLE=edge and ROLE=all instances',
    );
  });

  it('an edge never runs the simulated market, whatever FEED says', () => {
    const config = loadConfig({ ROLE: 'edge', BUS: 'redis', FEED: 'simulated' });
    expect(roleSummary(config, 'there', 'http://h:1/')).toMatch(
      /^ROLE=edge BUS=redis: writes nothing/,
    );
  });
});
