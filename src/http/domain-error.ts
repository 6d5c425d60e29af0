/**
 * An error the client should see as a clean HTTP answer. Thrown by services; translated once into
 * `{ statusCode, error, message }` by the global exception filter.
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  /** Short machine-readable code, e.g. `elevenlabs_unavailable`. */
  abstract readonly code: string;
}
