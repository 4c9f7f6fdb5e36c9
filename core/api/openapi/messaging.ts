// OpenAPI paths of the email channel: templates, previews and test sends, consents, the message log,
// suppressions, email provider settings and frequency caps.
import {
  consentsResponse,
  createSuppressionRequest,
  createTemplateRequest,
  emailSettingsRequest,
  emailSettingsView,
  frequencyCapsRequest,
  messageLog,
  patchTemplateRequest,
  previewRequest,
  previewResponse,
  putConsentsRequest,
  sendResult,
  suppressionDeleted,
  suppressionList,
  suppressionView,
  templateDeleted,
  templateList,
  templateView,
  testSendRequest,
} from '../../messaging/api.ts';
import { authErrors, error, idParam, jsonContent } from './shared.ts';

const tags = ['Messaging'];
const invalidTemplate = error('Invalid body (`invalid_request`), or Liquid that does not parse / MJML that does not validate (`template_invalid`; each detail has `path`, `line` and, for Liquid, `column`).');
const notFound = (what: string) => error(`No such ${what} in this tenant (\`not_found\`).`);
const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });

export const messagingPaths: Record<string, Record<string, unknown>> = {
  '/api/v1/templates': {
    get: {
      operationId: 'listTemplates',
      tags,
      summary: 'List message templates',
      parameters: [q('channel', 'email, whatsapp, sms or push'), q('includeArchived', 'true to include archived templates')],
      responses: { '200': { description: 'Templates by name.', ...jsonContent(templateList) }, ...authErrors },
    },
    post: {
      operationId: 'createTemplate',
      tags,
      summary: 'Create a template',
      description:
        'Email bodies are MJML with Liquid. Variables: `customer.*` (id, firstName, lastName, email, phone, birthDate, city, attributes.*), `scores.*` (rfmSegment, lifecycleState, clv1y/3y/5y as money strings, churnRisk), `recommendations[]`, `event.*` (the journey entry event, e.g. cart products), `journey.name`, `tenant.name`, `unsubscribe_url`, `preferences_url`. Output is HTML-escaped; `| raw` opts out. Liquid is parsed and MJML validated at save.',
      requestBody: { required: true, ...jsonContent(createTemplateRequest) },
      responses: { '201': { description: 'Created.', ...jsonContent(templateView) }, '400': invalidTemplate, ...authErrors, '409': error('A template with this name exists (`conflict`).') },
    },
  },
  '/api/v1/templates/{id}': {
    get: { operationId: 'getTemplate', tags, summary: 'A template', parameters: [idParam], responses: { '200': { description: 'The template.', ...jsonContent(templateView) }, ...authErrors, '404': notFound('template') } },
    patch: {
      operationId: 'updateTemplate',
      tags,
      summary: 'Change a template',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(patchTemplateRequest) },
      responses: { '200': { description: 'Updated.', ...jsonContent(templateView) }, '400': invalidTemplate, ...authErrors, '404': notFound('template'), '409': error('Name taken (`conflict`).') },
    },
    delete: {
      operationId: 'deleteTemplate',
      tags,
      summary: 'Delete (or archive) a template',
      description: 'A template that messages reference is archived instead, so the message log keeps it.',
      parameters: [idParam],
      responses: { '200': { description: 'Deleted or archived.', ...jsonContent(templateDeleted) }, ...authErrors, '404': notFound('template') },
    },
  },
  '/api/v1/templates/{id}/preview': {
    post: {
      operationId: 'previewTemplate',
      tags,
      summary: 'Render a template',
      description: 'Renders for `customerId` (their golden record, scores and recommendations) or sample data; `draft` previews unsaved fields; `context` adds variables such as `event`.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(previewRequest) },
      responses: { '200': { description: 'Subject, HTML and text.', ...jsonContent(previewResponse) }, '400': invalidTemplate, ...authErrors, '404': notFound('template or customer') },
    },
  },
  '/api/v1/templates/{id}/test-send': {
    post: {
      operationId: 'testSendTemplate',
      tags,
      summary: 'Send a test email',
      description: 'Through the same render and SMTP path as journeys. `{ to }` sends to any address (logged as a `test:` message, no consent or caps); `{ customerId }` sends to that customer with consent and suppression honoured.',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(testSendRequest) },
      responses: { '200': { description: 'What happened.', ...jsonContent(sendResult) }, '400': error('Neither `to` nor `customerId` (`invalid_request`).'), ...authErrors, '404': notFound('template or customer') },
    },
  },
  '/api/v1/customers/{id}/consents': {
    get: { operationId: 'getConsents', tags, summary: 'Consent per channel', parameters: [idParam], responses: { '200': { description: 'Recorded consents.', ...jsonContent(consentsResponse) }, ...authErrors, '404': notFound('customer') } },
    put: {
      operationId: 'putConsents',
      tags,
      summary: 'Set consent per channel',
      description: 'Marketing needs consent that is not `revoked` (or, with the tenant setting `messaging.requireExplicitConsent`, `granted`).',
      parameters: [idParam],
      requestBody: { required: true, ...jsonContent(putConsentsRequest) },
      responses: { '200': { description: 'Consents after the change.', ...jsonContent(consentsResponse) }, '400': error('Invalid body (`invalid_request`).'), ...authErrors, '404': notFound('customer') },
    },
  },
  '/api/v1/customers/{id}/messages': {
    get: {
      operationId: 'customerMessages',
      tags,
      summary: 'Message log of a customer',
      parameters: [idParam, q('limit', '1–200, default 50', { type: 'integer' }), q('before', 'ISO date-time: messages created before it (paging)')],
      responses: { '200': { description: 'Newest first, with events.', ...jsonContent(messageLog) }, ...authErrors, '404': notFound('customer') },
    },
  },
  '/api/v1/suppressions': {
    get: {
      operationId: 'listSuppressions',
      tags,
      summary: 'Suppressed addresses',
      parameters: [q('channel', 'Channel'), q('address', 'One address'), q('limit', '1–1000', { type: 'integer' }), q('after', 'Paging: the last address of the previous page')],
      responses: { '200': { description: 'By address.', ...jsonContent(suppressionList) }, ...authErrors },
    },
    post: {
      operationId: 'addSuppression',
      tags,
      summary: 'Suppress an address',
      requestBody: { required: true, ...jsonContent(createSuppressionRequest) },
      responses: { '201': { description: 'Added.', ...jsonContent(suppressionView) }, '200': { description: 'Already suppressed.', ...jsonContent(suppressionView) }, '400': error('Invalid address (`invalid_request`).'), ...authErrors },
    },
    delete: {
      operationId: 'removeSuppression',
      tags,
      summary: 'Lift a suppression',
      parameters: [q('channel', 'Default email'), { name: 'address', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'Removed.', ...jsonContent(suppressionDeleted) }, ...authErrors, '404': error('Not suppressed (`not_found`).') },
    },
  },
  '/api/v1/settings/email': {
    get: { operationId: 'getEmailSettings', tags, summary: 'SMTP settings', description: 'The password is write-only: only `hasPassword` is returned.', responses: { '200': { description: 'Settings.', ...jsonContent(emailSettingsView) }, ...authErrors } },
    put: {
      operationId: 'putEmailSettings',
      tags,
      summary: 'Set SMTP settings',
      description: 'The password is stored encrypted; omit it to keep the stored one, `null` clears it.',
      requestBody: { required: true, ...jsonContent(emailSettingsRequest) },
      responses: { '200': { description: 'Saved.', ...jsonContent(emailSettingsView) }, '400': error('Invalid body (`invalid_request`).'), ...authErrors },
    },
  },
  '/api/v1/settings/frequency-caps': {
    get: { operationId: 'getFrequencyCaps', tags, summary: 'Global frequency caps', responses: { '200': { description: 'Caps.', ...jsonContent(frequencyCapsRequest) }, ...authErrors } },
    put: {
      operationId: 'putFrequencyCaps',
      tags,
      summary: 'Replace the global frequency caps',
      description: 'At most `maxMessages` marketing messages per customer per `windowSeconds`, on one channel or all (`channel: null`), across every journey. Enforced at send time.',
      requestBody: { required: true, ...jsonContent(frequencyCapsRequest) },
      responses: { '200': { description: 'Saved.', ...jsonContent(frequencyCapsRequest) }, '400': error('Invalid body (`invalid_request`).'), ...authErrors },
    },
  },
};
