import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../http/page-query.dto.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'first local day, YYYY-MM-DD (default: 6 days before to)' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'last local day, included, YYYY-MM-DD (default: today in tz)' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ description: "IANA time zone (default: the admin's users.timezone, else UTC)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class CallsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) outcome?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) intent?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16) sentiment?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() roomId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() userId?: string;

  @ApiPropertyOptional({ description: 'calls from this local day (YYYY-MM-DD, in tz) or instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be a date YYYY-MM-DD or an ISO 8601 time' })
  from?: string;

  @ApiPropertyOptional({ description: 'calls up to this local day, included (YYYY-MM-DD, in tz), or before this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be a date YYYY-MM-DD or an ISO 8601 time' })
  to?: string;

  @ApiPropertyOptional({ description: 'zone of date-only from/to (default: the admin\'s, else UTC)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;

  @ApiPropertyOptional({ description: 'full-text search in title and summary (web search syntax: words, "phrases", -not, or)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ActivityQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only this event type, e.g. call_completed' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;
}
