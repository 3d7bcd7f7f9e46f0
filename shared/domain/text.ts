/** NFKC (full-width forms become ASCII), trimmed, whitespace runs collapsed to one space. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}
