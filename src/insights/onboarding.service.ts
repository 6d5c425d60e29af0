import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ActivityService } from '../dashboard/activity.service.js';
import type { OnboardingPhase, User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';

const PHASE_NAMES: Record<OnboardingPhase, string> = {
  goal_discovery: 'goal discovery',
  coaching_style_discovery: 'coaching style discovery',
  coaching: 'coaching',
};

/** Moves a person through goal discovery → coaching style discovery → coaching, each step once, with an activity event. */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly users: UsersService,
    private readonly activity: ActivityService,
  ) {}

  async advance(user: Pick<User, 'id' | 'displayName'>, step: { from: OnboardingPhase; to: OnboardingPhase }, conversationId: string, manager: EntityManager): Promise<boolean> {
    const moved = await this.users.advanceOnboardingPhase(user.id, step.from, step.to, manager);
    if (moved) {
      await this.activity.record(
        'onboarding_advanced',
        `${user.displayName || 'A person'} moved on to ${PHASE_NAMES[step.to]}`,
        { userId: user.id, from: step.from, to: step.to, conversationId },
        manager,
      );
    }
    return moved;
  }
}
