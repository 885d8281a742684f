import { compareEventIds } from '@tickstream/client/contract';
import type { TestServer } from './test-server.js';

export interface Resumption {
  /** The type of the first event the resumed stream sent. */
  firstEvent: string;
  /** The tick ids the client got before it left and after it resumed, up to a common end. */
  seen: string[];
  /** The tick ids a client that stayed got over the same span. */
  expected: string[];
}

/**
 * Drops a client on `dropOn` after 50 ticks, lets 100 more go by, resumes it on `resumeOn` with
 * its Last-Event-ID, and sets what it saw beside what a client that stayed on `stayOn` saw. With
 * throttle=0 the two must be the same: nothing lost, nothing repeated.
 */
export async function dropAndResume(
  { stayOn, dropOn, resumeOn }: { stayOn: TestServer; dropOn: TestServer; resumeOn: TestServer },
  query: string,
): Promise<Resumption> {
  const stayed = stayOn.connect(query);
  await stayed.waitFor((c) => c.of('snapshot').length === 1);
  const dropped = dropOn.connect(query);
  await dropped.waitFor((c) => c.ticks().length >= 50);
  dropped.close();
  const resumeFrom = dropped.lastEventId;
  // Ticks keep flowing while the client is away.
  await stayed.waitFor(
    (c) => c.ticks().filter((t) => compareEventIds(t.id, resumeFrom) > 0).length >= 100,
  );

  const resumed = resumeOn.connect(query, { lastEventId: resumeFrom });
  await resumed.waitFor((c) => c.ticks().length >= 150);
  const target = resumed.ticks()[149].id;
  await stayed.waitFor((c) => c.ticks().some((t) => t.id === target));

  const first = dropped.ticks()[0].id;
  const upToTarget = (id: string) => compareEventIds(id, target) <= 0;
  return {
    firstEvent: resumed.events[0].type,
    seen: [...dropped.ticks(), ...resumed.ticks()].map((t) => t.id).filter(upToTarget),
    expected: stayed
      .ticks()
      .map((t) => t.id)
      .filter((id) => compareEventIds(id, first) >= 0 && upToTarget(id)),
  };
}
