// CKAN's error kinds as application errors: the gateway renders them in CKAN's envelope with CKAN's statuses
// (ckan/views/api.py: Not Found 404, Validation Error 409, Search Query Error 400, bad request 400).
import { AppError } from '../../errors/index.ts';

/** Validation Error (409): CKAN names each bad parameter with its messages, e.g. `{"rows": ["Invalid integer"]}`. */
export function ckanValidationError(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, { details: { ckan: 'Validation Error', fields: { [field]: [message] } } });
}

/** Search Query Error (400): a q, fq, sort or facet this subset does not understand. */
export function ckanSearchQueryError(message: string): AppError {
  return new AppError('BAD_REQUEST', `Search Query is invalid: ${message}`, { details: { ckan: 'Search Query Error' } });
}

/** Not Found Error (404). */
export function ckanNotFound(what: 'Dataset' | 'Organization' | 'Group' | 'Action function'): AppError {
  return new AppError('NOT_FOUND', `${what} not found`, { details: { ckan: 'Not Found Error' } });
}

/** An action this subset does not offer: CKAN answers 400 "Bad request - Action name not known". */
export function ckanUnknownAction(): AppError {
  return new AppError('BAD_REQUEST', 'Bad request - Action name not known', { details: { ckan: 'Bad Request' } });
}
