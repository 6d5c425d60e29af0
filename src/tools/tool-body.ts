import { BadRequestException, type ExecutionContext, ValidationPipe, type ValidationError, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

function messagesOf(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [...Object.values(error.constraints ?? {}), ...messagesOf(error.children ?? [])]);
}

/**
 * Validation of tool bodies. Unlike the global pipe, unknown fields are dropped, not refused: a tool call must
 * not fail because the agent added a field. Errors are one sentence the agent can read out.
 */
export const toolBodyPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: false,
  transform: true,
  validateCustomDecorators: true,
  stopAtFirstError: true, // one reason per field is enough to say out loud
  exceptionFactory: (errors) => new BadRequestException(`The tool request was not understood: ${messagesOf(errors).join('; ')}.`),
});

/**
 * The JSON body of a tool call, validated by `toolBodyPipe`. A custom decorator, because the global
 * ValidationPipe runs before any route pipe and skips custom decorators (it would refuse unknown fields).
 */
export const ToolBody = () =>
  createParamDecorator((_: unknown, context: ExecutionContext): object => {
    const body: unknown = context.switchToHttp().getRequest<Request>().body;
    if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0 && !Array.isArray(body))) return {};
    if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('The tool request was not understood: the body must be a JSON object.');
    return body;
  })(undefined, toolBodyPipe);
