/** A problem with imported files (an array, a metadata table, a column mapping), worded for the person importing. */
import { FieldError } from './errors';

/** `field` names the file, flag or row ("emb.npy", "--class-column", "metadata row 17"); `message` is the sentence. */
export class ImportError extends FieldError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = 'ImportError';
    this.message = message;
  }
}
