import { describe, expect, it } from 'vitest';
import { buildRenderContext } from './context.ts';
import { fromBase64Url, toBase64Url } from './encoding.ts';
import { listUnsubscribeHeaders, messageIdHeader, normalizeEmail } from './headers.ts';
import { addOpenPixel, decodeHtmlEntities, rewriteLinks } from './links.ts';
import { formatMoney, tenantLocale } from './money.ts';
import { htmlToText } from './plain-text.ts';
import { decodeTrackingPayload, encodeTrackingPayload, splitToken, trackingPath } from './tracking.ts';

describe('formatMoney', () => {
  it.each([
    [1234550, 'ARS', 'es-AR', '$ 12.345,50'],
    [0, 'ARS', 'es-AR', '$ 0,00'],
    [199, 'USD', 'en-US', '$1.99'],
    [1500, 'JPY', 'en-US', '¥1,500'],
    [null, 'ARS', 'es-AR', ''],
    [Number.NaN, 'ARS', 'es-AR', ''],
  ])('%s %s in %s → %s', (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it.each([
    ['AR', 'ARS', 'es-AR'],
    ['', 'ARS', 'es-AR'],
    ['BR', 'BRL', 'pt-BR'],
    [null, 'USD', 'en-US'],
  ])('locale of country %s / %s is %s', (country, currency, locale) => expect(tenantLocale(country, currency)).toBe(locale));
});

describe('rewriteLinks', () => {
  const track = (u: string) => `https://cdp.test/t/c/${encodeURIComponent(u)}`;
  const keep = (u: string) => u.startsWith('https://cdp.test/t/u/');
  it.each([
    ['double-quoted', '<a href="https://a.com/x">x</a>', `<a href="${track('https://a.com/x')}">x</a>`, ['https://a.com/x']],
    ['single-quoted with attributes', `<a class="b" href='http://a.com/?q=1&amp;r=2' target="_blank">x</a>`, `<a class="b" href="${track('http://a.com/?q=1&r=2').replace(/&/g, '&amp;')}" target="_blank">x</a>`, ['http://a.com/?q=1&r=2']],
    ['mailto untouched', '<a href="mailto:a@b.com">m</a>', '<a href="mailto:a@b.com">m</a>', []],
    ['relative untouched', '<a href="#top">t</a>', '<a href="#top">t</a>', []],
    ['unsubscribe untouched', '<a href="https://cdp.test/t/u/abc">u</a>', '<a href="https://cdp.test/t/u/abc">u</a>', []],
    ['not an anchor', '<link href="https://fonts.example/x.css">', '<link href="https://fonts.example/x.css">', []],
  ])('%s', (_name, html, expected, links) => {
    const r = rewriteLinks(html, { track, keep });
    expect(r.html).toBe(expected);
    expect(r.links).toEqual(links);
  });

  it('adds the pixel before </body>, or at the end', () => {
    expect(addOpenPixel('<html><body>x</body></html>', 'https://p/o')).toMatch(/x<img src="https:\/\/p\/o"[^>]*\/><\/body><\/html>$/);
    expect(addOpenPixel('x', 'https://p/o')).toMatch(/^x<img /);
  });

  it.each([
    ['&amp;&lt;&gt;&quot;&#39;&#x2F;', '&<>"\'/'],
    ['&unknown; &#0;', '&unknown; &#0;'],
  ])('decodes %s', (s, expected) => expect(decodeHtmlEntities(s)).toBe(expected));
});

describe('htmlToText', () => {
  it.each([
    ['<p>Hola <b>Ana</b></p><p>Chau</p>', 'Hola Ana\nChau'],
    ['<a href="https://a.com/x">Ver oferta</a>', 'Ver oferta (https://a.com/x)'],
    ['<a href="https://a.com/x">https://a.com/x</a>', 'https://a.com/x'],
    ['<head><style>p{}</style><title>T</title></head><body>A<br>B</body>', 'A\nB'],
    ['<div style="display:none">preheader</div>Body &amp; more', 'Body & more'],
    ['<ul><li>uno</li><li>dos</li></ul>', '- uno\n- dos'],
  ])('%s', (html, text) => expect(htmlToText(html)).toBe(text));
});

describe('tracking tokens (format)', () => {
  const tenant = '4b0c4a4e-6a55-4f7e-9b1a-0d2c7e1f6a11';
  it.each([
    [{ v: 1, k: 'open', t: tenant, m: 'journey:x/node-1' }],
    [{ v: 1, k: 'unsubscribe', t: tenant, m: 'm1' }],
    [{ v: 1, k: 'click', t: tenant, m: 'm1', u: 'https://shop.example.com/p?a=1&b=ñ' }],
  ] as const)('round-trips %o', (payload) => {
    expect(decodeTrackingPayload(encodeTrackingPayload(payload))).toEqual(payload);
  });

  it.each([
    ['not base64', '!!!'],
    ['not JSON', toBase64Url('nope')],
    ['javascript: URL', toBase64Url(JSON.stringify({ v: 1, k: 'click', t: tenant, m: 'm', u: 'javascript:alert(1)' }))],
    ['unknown kind', toBase64Url(JSON.stringify({ v: 1, k: 'x', t: tenant, m: 'm' }))],
    ['bad tenant', toBase64Url(JSON.stringify({ v: 1, k: 'open', t: 'x', m: 'm' }))],
  ])('rejects %s', (_name, body) => expect(decodeTrackingPayload(body)).toBeUndefined());

  it('splits tokens and builds paths', () => {
    expect(splitToken('abcdefgh.0123456789abcdef')).toEqual({ body: 'abcdefgh', signature: '0123456789abcdef' });
    expect(splitToken('abc')).toBeUndefined();
    expect(splitToken('abcdefgh.short')).toBeUndefined();
    expect(trackingPath('click', 'tok')).toBe('/t/c/tok');
    expect(fromBase64Url(toBase64Url('ñandú ✓'))).toBe('ñandú ✓');
  });
});

describe('headers', () => {
  it('List-Unsubscribe with and without mailto, and RFC 8058 one-click', () => {
    expect(listUnsubscribeHeaders('https://x/t/u/1')).toEqual({ 'List-Unsubscribe': '<https://x/t/u/1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(listUnsubscribeHeaders('https://x/t/u/1', 'u@x.com')['List-Unsubscribe']).toBe('<https://x/t/u/1>, <mailto:u@x.com?subject=unsubscribe>');
  });

  it.each([
    ['m1', 'News <news@Shop.Example.com>', `<m.${toBase64Url('m1')}@shop.example.com>`],
    ['journey:a/b c', 'news@shop.com', `<m.${toBase64Url('journey:a/b c')}@shop.com>`],
    ['m1', 'no address', `<m.${toBase64Url('m1')}@nerdistan-cdp.local>`],
  ])('Message-ID of %s from %s', (id, from, expected) => expect(messageIdHeader(id, from)).toBe(expected));

  it.each([
    [' Ana@Example.COM ', 'ana@example.com'],
    ['nope', undefined],
    ['', undefined],
    [null, undefined],
  ])('normalizeEmail(%s)', (raw, expected) => expect(normalizeEmail(raw)).toBe(expected));
});

describe('buildRenderContext', () => {
  const tenant = { name: 'Tienda', currency: 'ARS', locale: 'es-AR' };
  it('exposes the documented variables, money formatted, missing values absent', () => {
    const ctx = buildRenderContext({
      tenant,
      customer: { id: 'c1', firstName: 'Ana', lastName: null, email: 'a@x.com', address: { city: 'Rosario' }, attributes: { tier: 'gold' } },
      scores: { rfmSegment: 'champions', lifecycleState: 'ACTIVE', clv1yMinor: 1234550, clv3yMinor: null, churnRisk: 0.1234 },
      recommendations: [{ productId: 'p1', name: 'Mate', url: 'https://s/p1', imageUrl: null, priceMinor: 500000, currency: 'ARS' }],
      event: { cart_id: 'k1', products: [{ name: 'Yerba' }] },
      journey: { name: 'Carrito' },
      unsubscribeUrl: 'https://cdp/t/u/1',
      preferencesUrl: 'https://cdp/t/u/1',
      extra: { customer: 'overridden?', coupon: 'OFF10' },
    });
    expect(ctx).toMatchObject({
      customer: { id: 'c1', firstName: 'Ana', email: 'a@x.com', city: 'Rosario', attributes: { tier: 'gold' } },
      scores: { rfmSegment: 'champions', lifecycleState: 'ACTIVE', clv3y: '', churnRisk: 0.12 },
      recommendations: [{ productId: 'p1', name: 'Mate', url: 'https://s/p1', price: expect.stringMatching(/^\$\s5\.000,00$/) }],
      event: { cart_id: 'k1' },
      journey: { name: 'Carrito' },
      tenant: { name: 'Tienda' },
      unsubscribe_url: 'https://cdp/t/u/1',
      preferences_url: 'https://cdp/t/u/1',
      coupon: 'OFF10',
    });
    expect((ctx.scores as { clv1y: string }).clv1y.replace(/\u00a0/g, ' ')).toBe('$ 12.345,50');
    expect((ctx.customer as Record<string, unknown>).lastName).toBeUndefined();
  });
});
