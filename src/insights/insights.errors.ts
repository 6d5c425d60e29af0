import { DomainError } from '../http/domain-error.js';

export class ActionItemNotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'action_item_not_found';
  constructor(id: string) {
    super(`no action item ${id} of yours`);
  }
}

export class ProfileUserNotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'user_not_found';
  constructor(id: string) {
    super(`no user with id ${id}`);
  }
}
