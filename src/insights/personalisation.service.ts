import { Injectable } from '@nestjs/common';
import type { User } from '../users/entities/user.entity.js';
import { type PersonalisationVariables, personalisationVariables } from './personalisation-variables.js';
import { ProfileService } from './profile.service.js';

export { PERSONALISATION_VARIABLES, type PersonalisationVariable, type PersonalisationVariables } from './personalisation-variables.js';

/**
 * The dynamic variables of a person's next conversation (room page, POST /api/conversations, the inbound
 * conversation-init webhook, outbound calls): all nine, strings, each at most 400 characters. On the room
 * page's hot path: one primary-key read of the person's snapshot (recomputed on the first read after a write).
 */
@Injectable()
export class PersonalisationService {
  constructor(private readonly profiles: ProfileService) {}

  emptyVariables(): PersonalisationVariables {
    return personalisationVariables(null, null);
  }

  async variablesFor(user: User | null): Promise<PersonalisationVariables> {
    if (!user) return this.emptyVariables();
    return personalisationVariables(await this.profiles.snapshotVariables(user.id), user);
  }
}
