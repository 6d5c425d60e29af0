import { Controller, Get, HttpCode, Inject, Post, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '../auth/auth.decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RateLimit } from '../rate-limits/rate-limit.guard.js';
import { SaveInsightToolDto, ScheduleCallbackToolDto, UserHistoryToolDto } from './dto/tool-bodies.dto.js';
import { ToolBody } from './tool-body.js';
import { type ToolCaller, CurrentToolCaller } from './tool-caller.js';
import { TOOL_SPECS, TOOL_TOKEN_HEADER, TOOLS_ROUTE_PREFIX, type ToolSpec, type WebhookToolDefinition, toolDefinitions } from './tool-definitions.js';
import { ToolTokenGuard } from './tool-token.guard.js';
import { GetUserHistory } from './usecases/get-user-history.js';
import { SaveInsightFromTool } from './usecases/save-insight-from-tool.js';
import { ScheduleCallbackFromTool } from './usecases/schedule-callback-from-tool.js';

/** A tool route: POST, 200, tool-token auth instead of the sign-in JWT. */
function ToolRoute(spec: ToolSpec) {
  return applyDecorators(
    Post(spec.path),
    HttpCode(200),
    ApiOperation({ summary: spec.description }),
    ApiBody({ type: spec.body }), // read by @ToolBody(), which OpenAPI cannot see
    Public(), // for the global JWT guard; ToolTokenGuard checks the tool token instead
    UseGuards(ToolTokenGuard),
    RateLimit('tools'), // after the token check: counts per valid token, across the tools
    ApiHeader({ name: TOOL_TOKEN_HEADER, required: false, description: 'the session secret__tool_token (or send it as Authorization: Bearer)' }),
  );
}

/** The ElevenLabs webhook tools the agent calls mid-call, and their definitions for the agent's configuration. */
@ApiTags('tools')
@Controller(TOOLS_ROUTE_PREFIX)
export class ToolsController {
  private readonly definitions: WebhookToolDefinition[];

  constructor(
    private readonly userHistory: GetUserHistory,
    private readonly saveInsight: SaveInsightFromTool,
    private readonly scheduleCallback: ScheduleCallbackFromTool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.definitions = toolDefinitions(config.publicUrl);
  }

  @Get('definitions')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'the webhook-tool JSON of every tool, ready to paste into the agent' })
  list(): { tools: WebhookToolDefinition[] } {
    return { tools: this.definitions };
  }

  @ToolRoute(TOOL_SPECS.userHistory)
  history(@CurrentToolCaller() caller: ToolCaller, @ToolBody() body: UserHistoryToolDto) {
    return this.userHistory.execute(caller, body.limit);
  }

  @ToolRoute(TOOL_SPECS.saveInsight)
  insight(@CurrentToolCaller() caller: ToolCaller, @ToolBody() body: SaveInsightToolDto) {
    return this.saveInsight.execute(caller, body);
  }

  @ToolRoute(TOOL_SPECS.scheduleCallback)
  callback(@CurrentToolCaller() caller: ToolCaller, @ToolBody() body: ScheduleCallbackToolDto) {
    return this.scheduleCallback.execute(caller, body);
  }
}
