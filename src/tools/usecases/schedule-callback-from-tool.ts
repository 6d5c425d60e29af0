import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
// The dispatcher's own rule (a pure function), so what the agent says matches when the call is really placed.
import { nextCallWindowOpening } from '../../scheduling/call-window.js';
import { CallbacksService } from '../../scheduling/callbacks.service.js';
import { describeLocalTime, parseCallbackTime } from '../callback-time.js';
import type { ScheduleCallbackToolDto } from '../dto/tool-bodies.dto.js';
import type { ToolCaller } from '../tool-caller.js';
import { noPhoneNumber, timeInThePast, unreadableTime } from '../tools.errors.js';

export interface ScheduledCallbackAnswer {
  scheduled: true;
  callbackId: string;
  dueAt: string;
  message: string;
}

/**
 * `POST /api/tools/schedule-callback`: the agent books a call back to the person, at a time they said in their own
 * words and time zone. The task goes through the scheduling module (which dials it when due).
 */
@Injectable()
export class ScheduleCallbackFromTool {
  constructor(
    private readonly callbacks: CallbacksService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ user }: ToolCaller, body: ScheduleCallbackToolDto): Promise<ScheduledCallbackAnswer> {
    if (!user.phoneNumber) throw noPhoneNumber();
    const parsed = parseCallbackTime(body.when, this.clock.now(), user.timezone);
    if (!parsed.ok && parsed.reason === 'unreadable') throw unreadableTime(body.when);
    if (!parsed.ok) throw timeInThePast(describeLocalTime(parsed.dueAt, user.timezone));

    const reason = body.reason?.trim() || 'call back requested during a conversation';
    const callback = await this.callbacks.createCallback({ userId: user.id, phoneNumber: user.phoneNumber, dueAt: parsed.dueAt, reason, timezone: user.timezone });
    const window = this.config.scheduler.callWindow;
    const callAt = nextCallWindowOpening(parsed.dueAt, user.timezone, window);
    const message =
      callAt.getTime() === parsed.dueAt.getTime()
        ? `Done: I will call you on ${describeLocalTime(callAt, user.timezone)} (${user.timezone} time).`
        : `Done. Calls are only placed between ${window.text.replace('-', ' and ')} your time, so I will call you on ` +
          `${describeLocalTime(callAt, user.timezone)} (${user.timezone} time).`;
    return { scheduled: true, callbackId: callback.id, dueAt: callback.dueAt, message };
  }
}
