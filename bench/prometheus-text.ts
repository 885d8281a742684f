import { httpRequest } from './http-request.js';

/**
 * The samples of a Prometheus text exposition, by series (`name` or `name{labels}` as written):
 * what tickstream's GET /metrics says about itself.
 */
export type MetricSamples = Map<string, number>;

export function parseMetrics(text: string): MetricSamples {
  const samples: MetricSamples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** GET /metrics of the server on `port`. */
export async function scrapeMetrics(port: number, localAddress?: string): Promise<MetricSamples> {
  const answer = await httpRequest(port, '/metrics', { localAddress });
  if (answer.status !== 200) {
    throw new Error(`GET /metrics answered ${answer.status}`);
  }
  return parseMetrics(answer.body);
}

/** The sum of every series of `name` whose labels include `labels` (e.g. `type="Socket"`). */
export function sumOf(samples: MetricSamples, name: string, labels = ''): number | undefined {
  let sum: number | undefined;
  for (const [series, value] of samples) {
    const bare = series.split('{')[0];
    if (bare === name && series.includes(labels)) {
      sum = (sum ?? 0) + value;
    }
  }
  return sum;
}
