import type { User } from '../users/entities/user.entity.js';
import { capList, capText } from './variable-caps.js';

/** Every personalisation variable the agent may reference; always all present, as strings (ElevenLabs fails a call on a missing one). */
export const PERSONALISATION_VARIABLES = [
  'user_name',
  'conversation_count',
  'last_conversation_summary',
  'open_action_items',
  'recurring_topics',
  'goals',
  'coaching_style',
  'onboarding_phase',
  'selected_goals',
] as const;
export type PersonalisationVariable = (typeof PERSONALISATION_VARIABLES)[number];
export type PersonalisationVariables = Record<PersonalisationVariable, string>;

/** The variables that come from insights (stored in the snapshot); the others come from the users row. */
export type ProfileVariables = Omit<PersonalisationVariables, 'user_name' | 'onboarding_phase'>;

/** What the insight variables are made of (a subset of the profile). */
export interface ProfileForVariables {
  conversationCount: number;
  lastSummary: string | null;
  openActionItems: ReadonlyArray<{ text: string }>;
  recurringTopics: ReadonlyArray<{ topic: string }>;
  goals: readonly string[];
  coachingStyle: string | null;
}

/** Each at most 400 characters; lists joined "a; b; c"; `selected_goals` comma-separated as the onboarding seed passes it. */
export function variablesFromProfile(profile: ProfileForVariables): ProfileVariables {
  return {
    conversation_count: String(profile.conversationCount),
    last_conversation_summary: capText(profile.lastSummary),
    open_action_items: capList(profile.openActionItems.map((item) => item.text)),
    recurring_topics: capList(profile.recurringTopics.map((topic) => topic.topic)),
    goals: capList(profile.goals),
    coaching_style: capText(profile.coachingStyle),
    selected_goals: capList(profile.goals, undefined, ', '),
  };
}

/** All nine: the person's own two (always current) over the insight variables (missing ones empty). */
export function personalisationVariables(insights: Partial<ProfileVariables> | null, user: Pick<User, 'displayName' | 'onboardingPhase'> | null): PersonalisationVariables {
  const variables = Object.fromEntries(PERSONALISATION_VARIABLES.map((name) => [name, ''])) as PersonalisationVariables;
  for (const name of PERSONALISATION_VARIABLES) {
    const value = (insights as Record<string, unknown> | null)?.[name];
    if (typeof value === 'string') variables[name] = value;
  }
  if (!user) return variables;
  if (!variables.conversation_count) variables.conversation_count = '0';
  variables.user_name = capText(user.displayName);
  variables.onboarding_phase = user.onboardingPhase;
  return variables;
}
