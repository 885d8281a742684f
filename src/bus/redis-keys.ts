/** Every Redis key of a deployment, named in one place: each starts with `<REDIS_PREFIX>:`. */
export interface RedisKeys {
  /** The log: a Redis Stream whose entry ids are the event ids. */
  stream: string;
  /** The latest quote of each symbol (a hash of JSON). */
  latest: string;
  /** The latest status of each symbol that has had a change of state (a hash of JSON). */
  states: string;
  /** The symbols halted or closed now (a set), for the publishing script to refuse or drop. */
  stopped: string;
  /** The day of each symbol that has traded or had a session begun (a hash of JSON). */
  days: string;
  /** The feed lease: a hash of the holder's token, name and fence, expiring unless renewed. */
  feedLease: string;
  /** The current feed's fencing number, which every fenced write must carry. */
  feedFence: string;
  /** The market's past, a field of JSON per symbol (see SimulationStore). */
  past: string;
  /** How many times a feed posted bars into the past, for instances to notice. */
  pastChanges: string;
  /** The simulated market's last status of each symbol, a field of JSON per symbol. */
  simulatedStates: string;
}

export function redisKeys(prefix: string): RedisKeys {
  return {
    stream: `${prefix}:ticks`,
    latest: `${prefix}:latest`,
    states: `${prefix}:states`,
    stopped: `${prefix}:stopped`,
    days: `${prefix}:days`,
    feedLease: `${prefix}:feed-lease`,
    feedFence: `${prefix}:feed-fence`,
    past: `${prefix}:past`,
    pastChanges: `${prefix}:past-changes`,
    simulatedStates: `${prefix}:simulated-states`,
  };
}
