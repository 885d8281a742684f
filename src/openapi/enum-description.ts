/** "`a`: what a means; `b`: what b means", for the description of an enum in the API document. */
export function enumDescription(meanings: Record<string, string>): string {
  return Object.entries(meanings)
    .map(([value, meaning]) => `\`${value}\`: ${meaning}`)
    .join('; ');
}
