// The ready-made journeys' starter emails parse as Liquid, render with the documented variables (missing ones
// empty), and the result compiles as MJML without errors; each recipe builds a valid journey from their ids.
import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { validateJourney } from '#core/journeys/index.ts';
import { JOURNEY_RECIPES, STARTER_MESSAGES, STARTER_SEGMENTS, type StarterMessageKey, type StarterSegmentKey } from '#core/journeys/starter-messages.ts';
import { segmentRule } from '#core/segments/rule.ts';

// mjml ships no types (the email channel declares its own); load it untyped here.
const mjmlModule = 'mjml';
const { default: mjml2html } = (await import(mjmlModule)) as { default: (mjml: string, options?: Record<string, unknown>) => Promise<{ html: string; errors: unknown[] }> };

const liquid = new Liquid({ strictVariables: false, strictFilters: true });
const context = {
  customer: { id: 'c1', firstName: 'Sofía', lastName: 'Pérez', email: 'sofia@example.com', attributes: {} },
  tenant: { name: 'Tienda Nerd' },
  event: {
    cart_id: 'cart-1',
    cart_url: 'https://tienda.example/cart/1',
    products: [
      { name: 'Auriculares', price: '$ 25.000,00', quantity: 1, image_url: 'https://tienda.example/a.png', url: 'https://tienda.example/p/a' },
      { name: 'Funda', price: '$ 4.500,00', quantity: 2 },
    ],
  },
  recommendations: [{ productId: 'p1', name: 'Teclado', url: 'https://tienda.example/p/1', imageUrl: 'https://tienda.example/1.png', price: '$ 30.000,00' }],
  unsubscribe_url: 'https://cdp.example/t/u/abc',
  preferences_url: 'https://cdp.example/t/p/abc',
};

describe('starter messages', () => {
  for (const [key, m] of Object.entries(STARTER_MESSAGES)) {
    it(`${key} renders (${m.channel})`, async () => {
      const body = await liquid.parseAndRender(m.body, context);
      expect(body).not.toContain('{{');
      expect(body).toContain('Sofía');
      if (m.channel === 'email') {
        expect(await liquid.parseAndRender(m.subject ?? '', context)).not.toBe('');
        const out = await mjml2html(body, { validationLevel: 'strict' });
        expect(out.errors).toEqual([]);
        expect(out.html).toContain('https://cdp.example/t/u/abc');
        // Missing values render empty, never throw.
        const bare = await liquid.parseAndRender(m.body, { tenant: { name: 'X' } });
        expect((await mjml2html(bare, { validationLevel: 'strict' })).errors).toEqual([]);
      }
    });
  }

  it('lists the cart products in the cart reminders', async () => {
    for (const m of [STARTER_MESSAGES.cartReminder1, STARTER_MESSAGES.cartReminder2]) {
      const html = (await mjml2html(await liquid.parseAndRender(m.body, context))).html;
      expect(html).toContain('Auriculares');
      expect(html).toContain('Cantidad: 2');
      expect(html).toContain('https://tienda.example/cart/1');
    }
  });

  it('the starter segments are valid rules, and every recipe builds a journey that validates with their ids', () => {
    for (const s of Object.values(STARTER_SEGMENTS)) expect(segmentRule.safeParse(s.definition).success).toBe(true);
    for (const r of JOURNEY_RECIPES) {
      const templates = Object.fromEntries(r.messages.map((k) => [k, `tpl-${k}`])) as Record<StarterMessageKey, string>;
      const segments = Object.fromEntries(r.segments.map((k) => [k, `seg-${k}`])) as Record<StarterSegmentKey, string>;
      const def = r.build(templates, segments);
      const v = validateJourney(def, { templates: r.messages.map((k) => ({ id: `tpl-${k}`, channel: STARTER_MESSAGES[k].channel })), segments: Object.values(segments) });
      expect(v.errors, r.id).toEqual([]);
    }
  });
});
