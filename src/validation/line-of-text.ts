/**
 * What no client-given text may carry into a frame: C0 and C1 controls and DEL (CR, LF and NUL
 * among them, which the framing refuses, and NEL, U+0085), the Unicode line and paragraph
 * separators, and the bidi controls (embeddings, overrides, isolates and the marks), which
 * reorder what a page, a log or a terminal shows around them (CVE-2021-42574, Trojan Source).
 */
// eslint-disable-next-line no-control-regex
const NOT_IN_A_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/**
 * Whether `text` is one line of text that shows as it reads: the one check of every text a client
 * sends that a stream may repeat.
 */
export function isLineOfText(text: string): boolean {
  return !NOT_IN_A_LINE.test(text);
}
