// Machine-readable API errors. The HTTP layer turns these into `{ error: { code, message, details? } }`.

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'invalid_batch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'empty_file'
  | 'invalid_file'
  | 'invalid_mapping'
  | 'template_invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  /** A journey entered by API whose entry is not `api` (segment, event or date entries start themselves). */
  | 'entry_not_api'
  /** A paused, archived or never-published journey takes no entries. */
  | 'journey_not_active'
  | 'segment_name_taken'
  | 'segment_in_use'
  /** Another experiment (or metric) of the tenant already has this name (key). */
  | 'experiment_name_taken'
  | 'metric_key_taken'
  /** A metric referenced by an experiment cannot be deleted. */
  | 'metric_in_use'
  /** The change needs a draft experiment (design, audience, metrics), or a running one (stop, winner). */
  | 'experiment_not_draft'
  | 'experiment_not_running'
  | 'unavailable'
  | 'internal';

export interface FieldError {
  /** Position in a batch, when the error belongs to one item. */
  index?: number;
  /** JSON path inside the item (or the body), e.g. "properties.total". */
  path: string;
  message: string;
  /** For errors inside a text (a template): 1-based position. */
  line?: number;
  column?: number;
}

export class UserError extends Error {
  override name = 'UserError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
    readonly details?: FieldError[],
  ) {
    super(message);
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_batch: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** An upload with no header, or a header and no rows. */
  empty_file: 400,
  /** An upload that cannot be read at all (wrong encoding, an unreadable header). Bad rows are not this. */
  invalid_file: 400,
  /** A column mapping naming a missing column or an unknown field, or leaving a required field unmapped. */
  invalid_mapping: 400,
  /** A message template whose Liquid does not parse or whose MJML does not validate; details carry line/column. */
  template_invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  entry_not_api: 409,
  journey_not_active: 409,
  /** Another segment of the tenant already has this name. */
  segment_name_taken: 409,
  /** A published, active or paused journey (or another active segment) references the segment. */
  segment_in_use: 409,
  experiment_name_taken: 409,
  metric_key_taken: 409,
  metric_in_use: 409,
  experiment_not_draft: 409,
  experiment_not_running: 409,
  unavailable: 503,
  internal: 500,
};
