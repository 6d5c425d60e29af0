import { DomainError } from '../http/domain-error.js';

/** A dashboard or calls query parameter that cannot be used (unknown time zone, from after to, range too long). */
export class InvalidDashboardQueryError extends DomainError {
  readonly status = 400;
  readonly code = 'invalid_dashboard_query';
}
