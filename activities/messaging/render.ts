// The one renderer of message templates, used by the preview API, test sends and sendMessage: Liquid first
// (customer data HTML-escaped by default, so it cannot inject markup), then MJML → responsive HTML, plus a
// text/plain part. Template authors write `{{ x | raw }}` when they deliberately want markup.
import { Liquid, type FS } from 'liquidjs';
import mjml2html from 'mjml';
import type { FieldError } from '#core/errors.ts';
import { escapeHtmlAttribute } from '#core/messaging/links.ts';
import { htmlToText } from '#core/messaging/plain-text.ts';
import type { MessageChannel } from '#db/schema/messaging.ts';

export interface TemplateContent {
  channel: MessageChannel;
  subject?: string | null;
  preheader?: string | null;
  body: string;
}

export interface RenderedMessage {
  subject: string;
  /** Email only. */
  html?: string;
  text: string;
}

// Templates come from tenants: they must never read the worker's files ({% include %}, {% render %}, mj-include).
const noFiles: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => {
    throw new Error('Templates cannot include files.');
  },
  readFileSync: () => {
    throw new Error('Templates cannot include files.');
  },
  resolve: (_root, file) => file,
};

const limits = { parseLimit: 1_000_000, renderLimit: 2_000, memoryLimit: 50_000_000 };
/** HTML bodies: every `{{ }}` output escaped unless piped through `raw`. */
const htmlLiquid = new Liquid({ strictVariables: false, strictFilters: true, outputEscape: 'escape', ownPropertyOnly: true, fs: noFiles, relativeReference: false, ...limits });
/** Subjects, preheaders and text channels: plain text, nothing to escape. */
const textLiquid = new Liquid({ strictVariables: false, strictFilters: true, ownPropertyOnly: true, fs: noFiles, relativeReference: false, ...limits });

function liquidError(field: string, err: unknown): FieldError {
  const e = err as Error & { token?: { getPosition?: () => [number, number] } };
  const pos = e.token?.getPosition?.();
  const message = (e.message ?? String(err)).replace(/, line:\d+, col:\d+$/, '');
  return { path: field, message, ...(pos ? { line: pos[0], column: pos[1] } : {}) };
}

/** Liquid syntax errors of every field, each with its line and column. */
export function liquidErrors(t: TemplateContent): FieldError[] {
  const errors: FieldError[] = [];
  const fields: [string, string | null | undefined, Liquid][] = [
    ['subject', t.subject, textLiquid],
    ['preheader', t.preheader, textLiquid],
    ['body', t.body, t.channel === 'email' ? htmlLiquid : textLiquid],
  ];
  for (const [field, value, engine] of fields) {
    if (!value) continue;
    try {
      engine.parse(value);
    } catch (err) {
      errors.push(liquidError(field, err));
    }
  }
  return errors;
}

function withPreheader(mjml: string, preheader: string): string {
  if (!preheader) return mjml;
  const preview = `<mj-preview>${escapeHtmlAttribute(preheader)}</mj-preview>`;
  if (/<mj-head\b[^>]*>/i.test(mjml)) return mjml.replace(/<mj-head\b[^>]*>/i, (h) => h + preview);
  return mjml.replace(/<mjml\b[^>]*>/i, (h) => `${h}<mj-head>${preview}</mj-head>`);
}

async function mjmlToHtml(source: string): Promise<{ html: string; errors: FieldError[] }> {
  const r = await mjml2html(source, { validationLevel: 'soft', ignoreIncludes: true, keepComments: false });
  return { html: r.html, errors: r.errors.map((e) => ({ path: 'body', message: e.message, line: e.line })) };
}

/**
 * Checks a template at save time: Liquid parses, and for email the MJML (rendered with `sample` data so loops and
 * conditionals are expanded) validates. MJML line numbers refer to the rendered MJML.
 */
export async function validateTemplate(t: TemplateContent, sample: Record<string, unknown>): Promise<FieldError[]> {
  const errors = liquidErrors(t);
  if (errors.length || t.channel !== 'email') return errors;
  if (!/<mjml\b/i.test(t.body)) return [{ path: 'body', message: 'An email body is MJML: it must start with <mjml>.', line: 1, column: 1 }];
  try {
    const body = await htmlLiquid.parseAndRender(t.body, sample);
    return (await mjmlToHtml(body)).errors;
  } catch (err) {
    return [liquidError('body', err)];
  }
}

/** Renders a template for one recipient. Missing variables render empty; a render failure throws. */
export async function renderTemplate(t: TemplateContent, scope: Record<string, unknown>): Promise<RenderedMessage> {
  const subject = t.subject ? (await textLiquid.parseAndRender(t.subject, scope)).replace(/\s+/g, ' ').trim() : '';
  if (t.channel !== 'email') return { subject, text: (await textLiquid.parseAndRender(t.body, scope)).trim() };
  const preheader = t.preheader ? (await textLiquid.parseAndRender(t.preheader, scope)).trim() : '';
  const mjml = withPreheader(await htmlLiquid.parseAndRender(t.body, scope), preheader);
  const { html } = await mjmlToHtml(mjml);
  return { subject, html, text: htmlToText(html) };
}
