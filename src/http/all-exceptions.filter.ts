import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../database/database-unavailable.js';
import { DomainError } from './domain-error.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
}

/** Pages (anything outside /api) get an HTML error page; the API and everything else get ErrorBody JSON. */
function wantsPage(request: Request): boolean {
  return request.method === 'GET' && !request.path.startsWith('/api') && !request.path.startsWith('/assets') && request.accepts(['html', 'json']) === 'html';
}

/**
 * One error shape for the whole server: `{ statusCode, error, message }`, never a stack trace.
 * PostgreSQL out of reach is a 503 with `Retry-After`; other unexpected errors are logged with their stack and answered 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    const body = this.toErrorBody(exception, request);
    if (response.headersSent) return;
    if (body.code === 'database_unavailable') response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));

    if (wantsPage(request)) {
      response.status(body.statusCode).render('error', {
        title: body.statusCode === 401 ? 'Sign in to continue' : body.error,
        statusCode: body.statusCode,
        message: Array.isArray(body.message) ? body.message.join('; ') : body.message,
        path: request.path,
      });
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toErrorBody(exception: unknown, request: Request): ErrorBody {
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, error: STATUS_CODES[exception.status] ?? 'Error', message: exception.message, code: exception.code };
    }
    // body-parser errors (bad JSON, too large) arrive raw or wrapped by Nest's adapter as the cause.
    const parserError = [exception, (exception as { cause?: unknown })?.cause].find(
      (e): e is { type: string; status?: number } => typeof (e as { type?: unknown })?.type === 'string' && String((e as { type: string }).type).startsWith('entity.'),
    );
    if (parserError) {
      const status = parserError.type === 'entity.too.large' ? 413 : (parserError.status ?? 400);
      const message =
        parserError.type === 'entity.parse.failed' ? 'request body is not valid JSON'
        : parserError.type === 'entity.too.large' ? 'request body is too large'
        : `request body could not be read (${parserError.type})`;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string' ? payload : ((payload as { message?: string | string[] }).message ?? exception.message);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    if (isDatabaseUnavailable(exception)) {
      // Nothing was written (a webhook answered 503 is not stored): the sender may retry; the reconciler covers ElevenLabs.
      this.logger.warn(`${request.method} ${request.path}: database unavailable (${exception instanceof Error ? exception.message : String(exception)})`);
      return { statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable; retry shortly', code: 'database_unavailable' };
    }
    this.logger.error(
      { err: exception, method: request.method, path: request.path },
      `unhandled error on ${request.method} ${request.path}`,
    );
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'internal error; the server log has the details' };
  }
}
