import { DomainError } from '../http/domain-error.js';

/** Bad input for a callback or check-in; the message starts with the field's name. */
export class InvalidTaskFieldError extends DomainError {
  readonly status = 400;
  readonly code = 'invalid_task_field';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

export class TaskNotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'task_not_found';
  constructor(kind: 'callback' | 'check-in', id: string) {
    super(`no ${kind} ${id}`);
  }
}

/** The task is being dialled (or is past pending): it cannot be moved or cancelled any more. */
export class TaskNotChangeableError extends DomainError {
  readonly status = 409;
  readonly code = 'task_not_changeable';
  constructor(message: string) {
    super(message);
  }
}

/** `channel: "sms"` until an SMS provider exists. */
export class SmsNotSupportedError extends DomainError {
  readonly status = 422;
  readonly code = 'sms_not_supported';
  constructor() {
    super('channel "sms" is not supported yet: this server has no SMS provider; use channel "call"');
  }
}
