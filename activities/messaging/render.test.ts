import { describe, expect, it } from 'vitest';
import { liquidErrors, renderTemplate, validateTemplate } from './render.ts';

const mj = (inner: string) => `<mjml><mj-body><mj-section><mj-column>${inner}</mj-column></mj-section></mj-body></mjml>`;

describe('renderTemplate (Liquid then MJML)', () => {
  it('personalizes, escapes customer data, renders loops over recommendations and cart products', async () => {
    const r = await renderTemplate(
      {
        channel: 'email',
        subject: '{{ customer.firstName }}, tu carrito',
        preheader: 'Quedan {{ event.products | size }} productos',
        body: mj(`<mj-text>Hola {{ customer.firstName }} {{ customer.missing.deep }}</mj-text>
{% for p in event.products %}<mj-text>{{ p.name }} x{{ p.quantity }}</mj-text>{% endfor %}
{% for r in recommendations %}<mj-button href="{{ r.url }}">{{ r.name }} {{ r.price }}</mj-button>{% endfor %}`),
      },
      { customer: { firstName: 'Ana & <i>Bob</i>' }, event: { products: [{ name: 'Mate', quantity: 2 }] }, recommendations: [{ name: 'Yerba', url: 'https://s/y?a=1&b=2', price: '$ 10,00' }] },
    );
    expect(r.subject).toBe('Ana & <i>Bob</i>, tu carrito');
    expect(r.html).toContain('Hola Ana &amp; &lt;i&gt;Bob&lt;/i&gt;');
    expect(r.html).toContain('Mate x2');
    expect(r.html).toContain('href="https://s/y?a=1&amp;b=2"');
    expect(r.html).toContain('Quedan 1 productos');
    expect(r.html).toMatch(/<!doctype html>/i);
    expect(r.text).toContain('Yerba $ 10,00 (https://s/y?a=1&b=2)');
  });

  it('never reads files: include and render tags fail', async () => {
    await expect(renderTemplate({ channel: 'email', subject: 's', body: mj(`<mj-text>{% include '/etc/passwd' %}</mj-text>`) }, {})).rejects.toThrow();
  });

  it('reports Liquid syntax errors per field with line and column', () => {
    expect(liquidErrors({ channel: 'email', subject: 'ok', body: 'a\nb {{ x | nosuchfilter }}' })).toEqual([expect.objectContaining({ path: 'body', line: 2, column: 3 })]);
    expect(liquidErrors({ channel: 'email', subject: '{% if %}', body: 'x' })[0]).toMatchObject({ path: 'subject', line: 1 });
    expect(liquidErrors({ channel: 'sms', body: 'Hola {{ customer.firstName }}' })).toEqual([]);
  });

  it('validates MJML after expanding Liquid with sample data', async () => {
    expect(await validateTemplate({ channel: 'email', subject: 's', body: mj('<mj-text>{{ customer.firstName }}</mj-text>') }, { customer: { firstName: 'A' } })).toEqual([]);
    const errs = await validateTemplate({ channel: 'email', subject: 's', body: '<mjml><mj-body>\n<mj-nope/>\n</mj-body></mjml>' }, {});
    expect(errs[0]).toMatchObject({ path: 'body', line: 2 });
    expect((await validateTemplate({ channel: 'email', subject: 's', body: '<p>not mjml</p>' }, {}))[0]!.message).toMatch(/MJML/);
  });
});
