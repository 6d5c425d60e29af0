import { DomainError } from '../http/domain-error.js';

/** Also for another person's conversation: no existence leak. */
export class ConversationNotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'conversation_not_found';
  constructor(id: string) {
    super(`no conversation ${id}`);
  }
}

export class ConversationNotActiveError extends DomainError {
  readonly status = 409;
  readonly code = 'conversation_not_active';
  constructor(id: string, status: string) {
    super(`conversation ${id} is ${status}; start a new one`);
  }
}

export class ElevenLabsIdConflictError extends DomainError {
  readonly status = 409;
  readonly code = 'elevenlabs_conversation_id_taken';
  constructor(elevenlabsConversationId: string, reason: 'taken' | 'already_set') {
    super(
      reason === 'taken'
        ? `ElevenLabs conversation ${elevenlabsConversationId} already belongs to another session`
        : `this session is already linked to a different ElevenLabs conversation`,
    );
  }
}
