// The text/plain alternative of an HTML email: readable, links spelled out.
import { decodeHtmlEntities } from './links.ts';

export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1>/gi, '')
    // MJML's hidden preheader and our pixel are not content.
    .replace(/<div\b[^>]*display:\s*none[^>]*>[\s\S]*?<\/div>/gi, '')
    .replace(/<img\b[^>]*>/gi, '');
  s = s.replace(/<a\b[^>]*?\bhref\s*=\s*("([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a>/gi, (_w, _q, dq: string | undefined, sq: string | undefined, inner: string) => {
    const url = decodeHtmlEntities(dq ?? sq ?? '');
    const text = decodeHtmlEntities(inner.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
    if (!url || /^(#|javascript:)/i.test(url)) return text;
    return text && text !== url ? `${text} (${url})` : url;
  });
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|h[1-6]|li|table|section)>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '');
  s = decodeHtmlEntities(s);
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
