/** What a symbol looks like: AAPL, BRK.B, RDS-A (upper case; the server also takes lower). */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.-]{0,9}$/;
