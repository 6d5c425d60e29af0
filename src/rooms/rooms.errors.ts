import { DomainError } from '../http/domain-error.js';

export class RoomNotFoundError extends DomainError {
  readonly status = 404;
  readonly code = 'room_not_found';
  constructor(what: string) {
    super(`no room ${what}`);
  }
}

export class RoomSlugTakenError extends DomainError {
  readonly status = 409;
  readonly code = 'room_slug_taken';
  constructor(slug: string) {
    super(`a room with slug "${slug}" already exists`);
  }
}

export class RoomInactiveError extends DomainError {
  readonly status = 409;
  readonly code = 'room_inactive';
  constructor(slug: string) {
    super(`room "${slug}" is inactive and takes no new conversations`);
  }
}

export class NoAgentConfiguredError extends DomainError {
  readonly status = 503;
  readonly code = 'agent_not_configured';
  constructor() {
    super('no ElevenLabs agent is configured: set the room agentId, the agent setting (PUT /api/settings/agent) or ELEVENLABS_AGENT_ID');
  }
}
