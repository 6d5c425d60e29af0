import type { CallAttempt } from './entities/call-attempt.entity.js';
import type { CallbackStatus, CallbackTask } from './entities/callback-task.entity.js';
import type { ScheduledCheckIn } from './entities/scheduled-check-in.entity.js';

export type TaskType = 'callback' | 'check_in';

export interface CallbackResponse {
  id: string;
  userId: string | null;
  phoneNumber: string;
  reason: string;
  status: CallbackStatus;
  dueAt: string;
  nextAttemptAt: string;
  attempts: number;
  maxAttempts: number;
  conversationId: string | null;
  lastError: string | null;
  timezone: string | null;
  callSid: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CheckInResponse {
  id: string;
  userId: string;
  scheduledFor: string;
  recurrence: string | null;
  channel: 'call' | 'sms';
  timezone: string | null;
  status: CallbackStatus;
  conversationId: string | null;
  lastError: string | null;
  nextAttemptAt: string;
  attempts: number;
  maxAttempts: number;
  callSid: string | null;
  previousCheckInId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CallAttemptResponse {
  id: string;
  taskType: string;
  taskId: string;
  attemptNo: number;
  status: string;
  conversationId: string | null;
  callSid: string | null;
  error: string | null;
  requestedAt: string;
  finishedAt: string | null;
}

const iso = (date: Date) => new Date(date).toISOString();

export function toCallbackResponse(task: CallbackTask): CallbackResponse {
  return {
    id: task.id,
    userId: task.userId,
    phoneNumber: task.phoneNumber,
    reason: task.reason,
    status: task.status,
    dueAt: iso(task.dueAt),
    nextAttemptAt: iso(task.nextAttemptAt),
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    conversationId: task.conversationId,
    lastError: task.lastError,
    timezone: task.timezone,
    callSid: task.callSid,
    createdAt: iso(task.createdAt),
    updatedAt: iso(task.updatedAt),
  };
}

export function toCheckInResponse(checkIn: ScheduledCheckIn): CheckInResponse {
  return {
    id: checkIn.id,
    userId: checkIn.userId,
    scheduledFor: iso(checkIn.scheduledFor),
    recurrence: checkIn.recurrence,
    channel: checkIn.channel,
    timezone: checkIn.timezone,
    status: checkIn.status,
    conversationId: checkIn.conversationId,
    lastError: checkIn.lastError,
    nextAttemptAt: iso(checkIn.nextAttemptAt),
    attempts: checkIn.attempts,
    maxAttempts: checkIn.maxAttempts,
    callSid: checkIn.callSid,
    previousCheckInId: checkIn.previousCheckInId,
    createdAt: iso(checkIn.createdAt),
    updatedAt: iso(checkIn.updatedAt),
  };
}

export function toCallAttemptResponse(attempt: CallAttempt): CallAttemptResponse {
  return {
    id: attempt.id,
    taskType: attempt.taskType,
    taskId: attempt.taskId,
    attemptNo: attempt.attemptNo,
    status: attempt.status,
    conversationId: attempt.conversationId,
    callSid: attempt.callSid,
    error: attempt.error,
    requestedAt: iso(attempt.requestedAt),
    finishedAt: attempt.finishedAt ? iso(attempt.finishedAt) : null,
  };
}
