/**
 * The first key of `value` named `prototype` or like a member of Object.prototype (`__proto__`,
 * `constructor`, `toString`...). Parsers keep such keys, but the DTO transformation drops them
 * without a word, so a validation that must refuse unknown fields has to look for them itself.
 */
export function prototypeKey(value: object): string | undefined {
  return Object.keys(value).find((key) => key in Object.prototype || key === 'prototype');
}
