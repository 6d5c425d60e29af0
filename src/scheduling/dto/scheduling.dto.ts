import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto.js';
import { CALLBACK_STATUSES, type CallbackStatus } from '../entities/callback-task.entity.js';
import { MAX_ATTEMPTS_LIMIT } from '../task-validation.js';

const ISO = { strict: true, strictSeparator: true };

export class CreateCallbackDto {
  @ApiPropertyOptional({ description: 'the person to call (their number on file unless phoneNumber is given); a user may only name themselves' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ example: '+14155550123', description: 'any format libphonenumber-js reads as a possible international number; stored as E.164' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phoneNumber?: string;

  @ApiProperty({ example: '2030-01-31T09:00:00Z', description: 'ISO 8601; not in the past' })
  @IsISO8601(ISO)
  dueAt: string;

  @ApiPropertyOptional({ example: 'Follow up on the sleep plan' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ATTEMPTS_LIMIT, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA zone of the call window; default the person’s, else UTC' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class UpdateCallbackDto {
  @ApiPropertyOptional({ example: '2030-01-31T09:00:00Z' })
  @IsOptional()
  @IsISO8601(ISO)
  dueAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phoneNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ATTEMPTS_LIMIT })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(64)
  timezone?: string | null;
}

export class TriggerCallDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ example: '+14155550123' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phoneNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class ListTasksQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CALLBACK_STATUSES })
  @IsOptional()
  @IsIn(CALLBACK_STATUSES)
  status?: CallbackStatus;

  @ApiPropertyOptional({ description: 'admins: only this person’s' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class CreateCheckInDto {
  @ApiProperty({ description: 'the person to call; a user may only name themselves' })
  @IsUUID()
  userId: string;

  @ApiProperty({ example: '2030-01-31T09:00:00+01:00' })
  @IsISO8601(ISO)
  scheduledFor: string;

  @ApiPropertyOptional({ example: 'FREQ=WEEKLY;BYDAY=MO', description: 'RRULE (RFC 5545) evaluated in timezone; the next occurrence is created when one completes or fails' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  recurrence?: string;

  @ApiProperty({ enum: ['call', 'sms'], description: '"sms" answers 422 until an SMS provider exists' })
  @IsIn(['call', 'sms'])
  channel: 'call' | 'sms';

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ATTEMPTS_LIMIT, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;
}

export class UpdateCheckInDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601(ISO)
  scheduledFor?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  recurrence?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(64)
  timezone?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ATTEMPTS_LIMIT })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;
}
