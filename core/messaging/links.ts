// Click tracking: every http(s) link of a rendered email goes through the tracking redirect, except the
// unsubscribe link (a mail client or a security scanner following it must land on the real page; it carries its
// own token) and links the caller exempts.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the HTML character references Liquid's escape and MJML produce (named basics and numeric). */
export function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

export const escapeHtmlAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface RewriteOptions {
  /** Builds the tracking URL for one destination. */
  track: (url: string) => string;
  /** Destinations left as they are (the unsubscribe and preferences URLs). */
  keep: (url: string) => boolean;
}

/** Rewrites the href of every `<a>` whose target is http(s); returns the new HTML and the destinations seen. */
export function rewriteLinks(html: string, opts: RewriteOptions): { html: string; links: string[] } {
  const links: string[] = [];
  const out = html.replace(/(<a\b[^>]*?\bhref\s*=\s*)("([^"]*)"|'([^']*)')/gi, (whole, prefix: string, _q, dq: string | undefined, sq: string | undefined) => {
    const url = decodeHtmlEntities((dq ?? sq ?? '').trim());
    if (!/^https?:\/\//i.test(url) || opts.keep(url)) return whole;
    links.push(url);
    return `${prefix}"${escapeHtmlAttribute(opts.track(url))}"`;
  });
  return { html: out, links };
}

/** Adds the 1×1 open pixel just before `</body>` (or at the end). */
export function addOpenPixel(html: string, pixelUrl: string): string {
  const img = `<img src="${escapeHtmlAttribute(pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  const i = html.search(/<\/body>/i);
  return i === -1 ? html + img : html.slice(0, i) + img + html.slice(i);
}
