import { Injectable } from '@nestjs/common';
import { ProfileService } from '../insights/profile.service.js';
import { UserInsightsService } from '../insights/user-insights.service.js';
import type { User } from '../users/entities/user.entity.js';
import { sentimentChartSvg } from './sentiment-chart.js';

export interface MePageActionItem {
  id: string;
  text: string;
  done: boolean;
  /** When it was opened (open items) or marked done (done items), ISO. */
  when: string | null;
}

/** The view model of `/me`, from the person's profile (one profile read per page view). */
@Injectable()
export class MePageService {
  constructor(
    private readonly profiles: ProfileService,
    private readonly insights: UserInsightsService,
  ) {}

  async page(user: User) {
    const profile = await this.profiles.profileFor(user.id);
    const count = profile.conversationCount;
    return {
      title: 'Your progress',
      user: { displayName: user.displayName },
      stats:
        count === 0
          ? 'No conversations yet.'
          : `${count} conversation${count === 1 ? '' : 's'}${profile.lastConversationAt ? `, the last on ${profile.lastConversationAt.slice(0, 10)}` : ''}.`,
      goals: profile.goals,
      openActionItems: profile.openActionItems.map((item): MePageActionItem => ({ id: item.id, text: item.text, done: false, when: item.createdAt })),
      doneActionItems: profile.doneActionItems.map((item): MePageActionItem => ({ id: item.id, text: item.text, done: true, when: item.doneAt })),
      recurringTopics: profile.recurringTopics,
      sentimentChart: sentimentChartSvg(profile.sentimentTrend),
    };
  }

  setActionItemDone(user: User, actionItemId: string, done: boolean) {
    return this.insights.setActionItemDone(user.id, actionItemId, done);
  }
}
