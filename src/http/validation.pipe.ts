import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      // class-validator says "property x should not exist"; say which field, in full path form.
      text.startsWith(`property ${error.property} `) ? text.replace(`property ${error.property}`, `property ${path}`) : text.replace(error.property, path),
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Unknown fields are rejected (400) and every message names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
  });
}
