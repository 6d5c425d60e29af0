import { DomainError } from '../http/domain-error.js';

/**
 * A tool call that cannot be done as asked. The message is written for the agent to read aloud to the person
 * (ElevenLabs hands a non-2xx answer to the LLM as the tool error).
 */
export class ToolRequestError extends DomainError {
  readonly status = 422;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const noPhoneNumber = () =>
  new ToolRequestError(
    'no_phone_number',
    "I don't have a phone number for you yet, so I can't schedule a call back. Once your number is added to your account, I can call you.",
  );

export const unreadableTime = (when: string) =>
  new ToolRequestError(
    'unreadable_time',
    `I couldn't work out when "${when.slice(0, 80)}" is. Could you tell me a day and a time, for example "tomorrow at 6pm" or "in 2 hours"?`,
  );

export const timeInThePast = (localTime: string) =>
  new ToolRequestError('time_in_past', `${localTime} has already passed. Could you pick a time in the future?`);
