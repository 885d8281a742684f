/** Who a request is from, and which symbols they may see. */
export class Principal {
  /** STREAM_AUTH=none: no identity, every symbol, no expiry. */
  static readonly anonymous = new Principal(undefined, '*', undefined);

  constructor(
    /** The token's `sub`; undefined without a token. */
    readonly subject: string | undefined,
    private readonly symbols: '*' | ReadonlySet<string>,
    /** The token's `exp`, in ms since the epoch. */
    readonly expiresAt: number | undefined,
  ) {}

  mayAccess(symbol: string): boolean {
    return this.symbols === '*' || this.symbols.has(symbol);
  }

  /**
   * The given symbols that are outside the entitlement, in the order given; for every symbol
   * (the firehose, which includes those admitted later), `*` unless the token says `"*"`.
   */
  notEntitled(symbols: readonly string[] | 'all'): string[] {
    if (symbols === 'all') {
      return this.symbols === '*' ? [] : ['*'];
    }
    return symbols.filter((symbol) => !this.mayAccess(symbol));
  }
}
