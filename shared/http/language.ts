import type { Language } from '../i18n/messages.ts';

/**
 * Chinese by default; English when the client's most preferred language is
 * English (`Accept-Language: en`, `en-US,en;q=0.9`).
 */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'zh';
  let best: { tag: string; q: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [tagPart, ...parameters] = part.trim().split(';');
    const tag = tagPart?.trim().toLowerCase();
    if (!tag) continue;
    const qParameter = parameters.find((p) => p.trim().startsWith('q='));
    const q = qParameter ? Number(qParameter.trim().slice(2)) : 1;
    if (Number.isFinite(q) && (!best || q > best.q)) best = { tag, q };
  }
  return best && (best.tag === 'en' || best.tag.startsWith('en-')) ? 'en' : 'zh';
}
