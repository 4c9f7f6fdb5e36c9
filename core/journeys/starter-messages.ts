// What the ready-made journeys need besides their graph: the message templates (MJML + Liquid bodies in Spanish,
// es-AR, the first market) and the segments they refer to, plus which template option each one fills. Creating a
// journey from a template creates the missing ones by name, so doing it twice never duplicates them.
import type { SegmentRuleInput } from '../segments/rule.ts';
import type { Channel } from '../segments/rule.ts';
import { abandonedCartJourney, birthdayJourney, purchaseAnniversaryJourney, reEngagementJourney, welcomeSeriesJourney } from './templates.ts';
import type { JourneyDefinition } from './definition.ts';

export interface StarterMessage {
  /** Unique per tenant: how an existing copy is found again. */
  name: string;
  channel: Channel;
  subject?: string;
  preheader?: string;
  body: string;
  category: 'marketing' | 'transactional';
}

export interface StarterSegment {
  name: string;
  description: string;
  definition: SegmentRuleInput;
}

const footer = `
    <mj-section padding="8px 0 24px">
      <mj-column>
        <mj-divider border-width="1px" border-color="#e5e7eb" />
        <mj-text font-size="12px" color="#6b7280" align="center">
          Recibís este correo porque sos cliente de {{ tenant.name }}.<br />
          <a href="{{ preferences_url }}" style="color:#6b7280">Preferencias</a> ·
          <a href="{{ unsubscribe_url }}" style="color:#6b7280">Darte de baja</a>
        </mj-text>
      </mj-column>
    </mj-section>`;

/** A responsive MJML email: header with the store name, the given sections, and the unsubscribe footer. */
const email = (sections: string) => `<mjml>
  <mj-head>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#111827" />
      <mj-button background-color="#4f46e5" color="#ffffff" font-size="16px" border-radius="6px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section background-color="#ffffff" padding="24px 0 8px">
      <mj-column>
        <mj-text font-size="20px" font-weight="700" align="center">{{ tenant.name }}</mj-text>
      </mj-column>
    </mj-section>
${sections}
${footer}
  </mj-body>
</mjml>
`;

const section = (inner: string) => `    <mj-section background-color="#ffffff" padding="8px 24px 24px">
      <mj-column>
${inner}
      </mj-column>
    </mj-section>`;

const cartTable = `        <mj-table>
          {% for p in event.products %}
          <tr style="border-bottom:1px solid #e5e7eb">
            <td style="padding:8px 0;width:72px">{% if p.image_url %}<img src="{{ p.image_url }}" alt="" width="64" style="border-radius:4px" />{% endif %}</td>
            <td style="padding:8px">{% if p.url %}<a href="{{ p.url }}" style="color:#111827">{{ p.name }}</a>{% else %}{{ p.name }}{% endif %}<br /><span style="color:#6b7280">Cantidad: {{ p.quantity | default: 1 }}</span></td>
            <td style="padding:8px 0;text-align:right">{{ p.price }}</td>
          </tr>
          {% endfor %}
        </mj-table>`;

const recommendations = `        {% if recommendations.size > 0 %}
        <mj-text font-weight="700">Elegidos para vos</mj-text>
        <mj-table>
          {% for r in recommendations limit: 3 %}
          <tr>
            <td style="padding:6px 0;width:72px">{% if r.imageUrl %}<img src="{{ r.imageUrl }}" alt="" width="64" style="border-radius:4px" />{% endif %}</td>
            <td style="padding:6px 8px"><a href="{{ r.url }}" style="color:#111827">{{ r.name }}</a></td>
            <td style="padding:6px 0;text-align:right">{{ r.price }}</td>
          </tr>
          {% endfor %}
        </mj-table>
        {% endif %}`;

const hello = `        <mj-text>¡Hola{% if customer.firstName %}, {{ customer.firstName }}{% endif %}!</mj-text>`;

export const STARTER_MESSAGES = {
  cartReminder1: {
    name: 'Carrito abandonado · primer recordatorio',
    channel: 'email',
    category: 'marketing',
    subject: '{% if customer.firstName %}{{ customer.firstName }}, te{% else %}Te{% endif %} guardamos el carrito',
    preheader: 'Tus productos siguen esperándote en {{ tenant.name }}.',
    body: email(
      section(`${hello}
        <mj-text>Vimos que dejaste algunos productos en el carrito. Los guardamos para que termines la compra cuando quieras:</mj-text>
${cartTable}
        <mj-button href="{{ event.cart_url }}">Terminar mi compra</mj-button>`),
    ),
  },
  cartReminder2: {
    name: 'Carrito abandonado · segundo recordatorio',
    channel: 'email',
    category: 'marketing',
    subject: '¿Seguís pensándolo? Tu carrito todavía está disponible',
    preheader: 'El stock se mueve rápido: asegurá tus productos.',
    body: email(
      section(`${hello}
        <mj-text>Tu carrito sigue guardado, pero no podemos reservar el stock por mucho tiempo más.</mj-text>
${cartTable}
        <mj-button href="{{ event.cart_url }}">Volver al carrito</mj-button>
        <mj-text font-size="14px" color="#6b7280">¿Tuviste algún problema con el pago o el envío? Respondé este correo y te ayudamos.</mj-text>`),
    ),
  },
  welcome: {
    name: 'Bienvenida · primer correo',
    channel: 'email',
    category: 'marketing',
    subject: '¡Bienvenido{% if customer.firstName %}, {{ customer.firstName }}{% endif %}! Gracias por tu primera compra',
    preheader: 'Nos alegra tenerte en {{ tenant.name }}.',
    body: email(
      section(`${hello}
        <mj-text>Gracias por tu primera compra en {{ tenant.name }}. Estamos preparando todo para que la experiencia sea excelente.</mj-text>
        <mj-text>En los próximos días te vamos a contar cómo sacarle el máximo provecho a tu compra.</mj-text>
${recommendations}`),
    ),
  },
  welcomeTips: {
    name: 'Bienvenida · consejos',
    channel: 'email',
    category: 'marketing',
    subject: '{{ customer.firstName | default: "Hola" }}, algunos consejos para vos',
    preheader: 'Envíos, cambios y atención: todo lo que tenés que saber.',
    body: email(
      section(`${hello}
        <mj-text>Algunas cosas que nuestros clientes valoran:</mj-text>
        <mj-text>• Seguí tu pedido desde tu cuenta en cualquier momento.<br />• Tenés 30 días para cambios y devoluciones.<br />• Nuestro equipo responde consultas por WhatsApp y correo.</mj-text>
${recommendations}`),
    ),
  },
  welcomeSecondOrder: {
    name: 'Bienvenida · segunda compra',
    channel: 'email',
    category: 'marketing',
    subject: '{{ customer.firstName | default: "Hola" }}, ¿volvemos a vernos?',
    preheader: 'Productos elegidos según lo que compraste.',
    body: email(
      section(`${hello}
        <mj-text>Pasó una semana desde tu primera compra. Seleccionamos algunos productos que creemos que te van a gustar:</mj-text>
${recommendations}
        <mj-button href="{{ customer.attributes.store_url | default: '#' }}">Ver la tienda</mj-button>`),
    ),
  },
  reEngagementOffer: {
    name: 'Reactivación · con oferta',
    channel: 'email',
    category: 'marketing',
    subject: '{{ customer.firstName | default: "Hola" }}, te extrañamos: tenemos un regalo para vos',
    preheader: 'Un descuento exclusivo para tu próxima compra.',
    body: email(
      section(`${hello}
        <mj-text>Hace un tiempo que no nos visitás y queremos darte la bienvenida de vuelta con un <strong>10% de descuento</strong> en tu próxima compra.</mj-text>
        <mj-text font-size="22px" font-weight="700" align="center">VOLVISTE10</mj-text>
${recommendations}`),
    ),
  },
  reEngagementPlain: {
    name: 'Reactivación · sin oferta',
    channel: 'email',
    category: 'marketing',
    subject: '{{ customer.firstName | default: "Hola" }}, mirá lo nuevo en {{ tenant.name }}',
    preheader: 'Novedades elegidas para vos.',
    body: email(
      section(`${hello}
        <mj-text>Hace un tiempo que no nos visitás. Esto es lo nuevo que seleccionamos para vos:</mj-text>
${recommendations}`),
    ),
  },
  reEngagementWhatsapp: {
    name: 'Reactivación · WhatsApp',
    channel: 'whatsapp',
    category: 'marketing',
    body: '¡Hola{% if customer.firstName %} {{ customer.firstName }}{% endif %}! Te escribimos de {{ tenant.name }}. Te dejamos un 10% de descuento con el código VOLVISTE10 para tu próxima compra. Si no querés recibir más mensajes, respondé BAJA.',
  },
  birthday: {
    name: 'Cumpleaños',
    channel: 'email',
    category: 'marketing',
    subject: '¡Feliz cumpleaños{% if customer.firstName %}, {{ customer.firstName }}{% endif %}! 🎂',
    preheader: 'Un regalo de {{ tenant.name }} para festejar.',
    body: email(
      section(`${hello}
        <mj-text>¡Todo el equipo de {{ tenant.name }} te desea un muy feliz cumpleaños!</mj-text>
        <mj-text>Para festejar, te regalamos un <strong>15% de descuento</strong> durante esta semana con el código:</mj-text>
        <mj-text font-size="22px" font-weight="700" align="center">CUMPLE15</mj-text>
${recommendations}`),
    ),
  },
  purchaseAnniversary: {
    name: 'Aniversario de primera compra',
    channel: 'email',
    category: 'marketing',
    subject: '{{ customer.firstName | default: "Hola" }}, ¡hace un año de tu primera compra!',
    preheader: 'Gracias por elegirnos durante todo este tiempo.',
    body: email(
      section(`${hello}
        <mj-text>Hoy se cumple un año de tu primera compra en {{ tenant.name }}. ¡Gracias por acompañarnos!</mj-text>
${recommendations}`),
    ),
  },
} as const satisfies Record<string, StarterMessage>;
export type StarterMessageKey = keyof typeof STARTER_MESSAGES;

export const STARTER_SEGMENTS = {
  newCustomers: {
    name: 'Clientes nuevos (NEW)',
    description: 'Estado de ciclo de vida NEW según el scoring nocturno: una sola compra reciente.',
    definition: { kind: 'score', score: 'lifecycleState', predicate: { type: 'string', op: 'equals', value: 'NEW' } },
  },
  atRisk: {
    name: 'Clientes en riesgo (AT_RISK)',
    description: 'Estado de ciclo de vida AT_RISK según el scoring nocturno: compraban seguido y dejaron de hacerlo.',
    definition: { kind: 'score', score: 'lifecycleState', predicate: { type: 'string', op: 'equals', value: 'AT_RISK' } },
  },
} as const satisfies Record<string, StarterSegment>;
export type StarterSegmentKey = keyof typeof STARTER_SEGMENTS;

export interface JourneyTemplateRecipe {
  id: string;
  /** Default journey name (Spanish: what the marketer sees first). */
  name: string;
  description: string;
  messages: readonly StarterMessageKey[];
  segments: readonly StarterSegmentKey[];
  /** Builds the definition from the ids of the created (or found) templates and segments. */
  build: (templates: Record<StarterMessageKey, string>, segments: Record<StarterSegmentKey, string>) => JourneyDefinition;
}

/** Each ready-made journey (core/journeys/templates.ts) with what it needs. */
export const JOURNEY_RECIPES: readonly JourneyTemplateRecipe[] = [
  {
    id: 'abandoned-cart',
    name: 'Recuperación de carrito abandonado',
    description: 'Evento de carrito (por cart_id) → espera 1 h la compra del mismo carrito → correo con el carrito → 24 h → segundo recordatorio. Comprar termina el recorrido.',
    messages: ['cartReminder1', 'cartReminder2'],
    segments: [],
    build: (t) => abandonedCartJourney({ firstReminderTemplateId: t.cartReminder1, secondReminderTemplateId: t.cartReminder2 }),
  },
  {
    id: 'welcome-series',
    name: 'Serie de bienvenida',
    description: 'Al entrar en clientes NEW: bienvenida, consejos a los 2 días y un empujón a la segunda compra 5 días después si no volvió a comprar.',
    messages: ['welcome', 'welcomeTips', 'welcomeSecondOrder'],
    segments: ['newCustomers'],
    build: (t, s) => welcomeSeriesJourney({ newCustomersSegmentId: s.newCustomers, welcomeTemplateId: t.welcome, tipsTemplateId: t.welcomeTips, secondOrderTemplateId: t.welcomeSecondOrder }),
  },
  {
    id: 're-engagement',
    name: 'Reactivación de clientes en riesgo',
    description: 'Al entrar en AT_RISK: A/B entre correo con oferta y sin oferta (10% de control) → espera 7 días una compra → WhatsApp a quienes dieron consentimiento.',
    messages: ['reEngagementOffer', 'reEngagementPlain', 'reEngagementWhatsapp'],
    segments: ['atRisk'],
    build: (t, s) =>
      reEngagementJourney({
        trigger: { kind: 'segment', atRiskSegmentId: s.atRisk },
        offerEmailTemplateId: t.reEngagementOffer,
        plainEmailTemplateId: t.reEngagementPlain,
        whatsappTemplateId: t.reEngagementWhatsapp,
      }),
  },
  {
    id: 'birthday',
    name: 'Cumpleaños',
    description: 'Un saludo con regalo el día del cumpleaños, a las 9:00 en la zona horaria del cliente, una vez por año.',
    messages: ['birthday'],
    segments: [],
    build: (t) => birthdayJourney({ templateId: t.birthday }),
  },
  {
    id: 'purchase-anniversary',
    name: 'Aniversario de primera compra',
    description: 'Un año después de la primera compra, a las 9:00 en la zona horaria del cliente, una vez por año.',
    messages: ['purchaseAnniversary'],
    segments: [],
    build: (t) => purchaseAnniversaryJourney({ templateId: t.purchaseAnniversary }),
  },
];

export const journeyRecipe = (id: string): JourneyTemplateRecipe | undefined => JOURNEY_RECIPES.find((r) => r.id === id);
