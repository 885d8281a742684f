/** The longest string a refusal repeats; a longer one is cut, ending in MORE. */
export const ECHO_MAX_CHARS = 200;
/** The most entries of a list or object a refusal repeats; more end in MORE. */
export const ECHO_MAX_ENTRIES = 10;
/** Stands for what was left out. */
export const MORE = '…';

/**
 * What a refusal may repeat of `value`, something a client sent: strings cut to ECHO_MAX_CHARS,
 * lists and objects to their first ECHO_MAX_ENTRIES entries, and whatever they hold in turn
 * (nested to any depth) as MORE. So a refusal stays small however large or deep the input, and
 * echoing it never recurses.
 */
export function boundedEcho(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    return boundedScalar(value);
  }
  if (Array.isArray(value)) {
    const kept = value.slice(0, ECHO_MAX_ENTRIES).map(boundedEntry);
    return value.length > ECHO_MAX_ENTRIES ? [...kept, MORE] : kept;
  }
  const entries = Object.entries(value);
  const kept = entries
    .slice(0, ECHO_MAX_ENTRIES)
    .map(([key, entry]) => [boundedText(key), boundedEntry(entry)]);
  return Object.fromEntries(entries.length > ECHO_MAX_ENTRIES ? [...kept, [MORE, MORE]] : kept);
}

function boundedEntry(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? MORE : boundedScalar(value);
}

/** `text` cut to ECHO_MAX_CHARS. */
export function boundedText(text: string): string {
  return text.length > ECHO_MAX_CHARS ? `${text.slice(0, ECHO_MAX_CHARS)}${MORE}` : text;
}

function boundedScalar(value: unknown): unknown {
  return typeof value === 'string' ? boundedText(value) : value;
}
