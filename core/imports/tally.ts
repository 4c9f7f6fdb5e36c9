// Counting rows and keeping the first errors, the same way for the dry run and the import's batches.
import type { ImportRowError } from '../connectors/types.ts';

/** Errors an import keeps (with line and reason); `counts.failed` has the total. */
export const MAX_IMPORT_ERRORS = 100;

export class RowTally {
  rows = 0;
  failed = 0;
  readonly errors: ImportRowError[] = [];

  ok(): void {
    this.rows++;
  }

  fail(line: number, reason: string): void {
    this.rows++;
    this.failed++;
    if (this.errors.length < MAX_IMPORT_ERRORS) this.errors.push({ line, reason });
  }
}
