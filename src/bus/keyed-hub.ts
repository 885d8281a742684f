/** Lets a shared source go from its hub once nobody reads it. */
export interface Lease {
  /** Forgets the source, if it is still the one its key holds; later readers get a new one. */
  release(): void;
}

/** Makes the one shared source of a key, which calls `lease.release()` when its last reader leaves. */
export interface SourceMaker<K, S> {
  make(key: K, lease: Lease): S;
}

/**
 * The one hot shared source of each key, made when its first reader comes and let go when its
 * last leaves: a symbol's events, a channel's frames, a channel's conflation at a throttle. A key
 * is made a Map key by `keyOf`, in one place per kind of key, and never parsed back.
 */
export class KeyedHub<K, S> {
  private readonly byKey = new Map<string, S>();

  constructor(
    private readonly keyOf: (key: K) => string,
    private readonly maker: SourceMaker<K, S>,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  /** The source of `key`, made now unless there is one. */
  acquire(key: K): S {
    const name = this.keyOf(key);
    const held = this.byKey.get(name);
    if (held !== undefined) {
      return held;
    }
    // A source that ends while it is made finds no place of its own yet, and leaves none.
    const slot: { source?: S } = {};
    const lease: Lease = {
      release: () => {
        if (slot.source !== undefined && this.byKey.get(name) === slot.source) {
          this.byKey.delete(name);
        }
      },
    };
    const made = this.maker.make(key, lease);
    slot.source = made;
    this.byKey.set(name, made);
    return made;
  }

  /** The source of `key`, if anyone reads it. */
  find(key: K): S | undefined {
    return this.byKey.get(this.keyOf(key));
  }

  /** Forgets every source and hands them back, to be ended. */
  clear(): S[] {
    const sources = [...this.byKey.values()];
    this.byKey.clear();
    return sources;
  }
}
