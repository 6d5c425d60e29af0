import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module.js';
import { ClockModule } from './clock/clock.js';
import { ConfigModule } from './config/config.module.js';
import { ConversationsModule } from './conversations/conversations.module.js';
import { AdminDashboardModule } from './dashboard/admin-dashboard.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ElevenLabsModule } from './elevenlabs/elevenlabs.module.js';
import { HealthModule } from './health/health.module.js';
import { InsightsModule } from './insights/insights.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MeModule } from './me/me.module.js';
import { PagesModule } from './pages/pages.module.js';
import { RateLimitsModule } from './rate-limits/rate-limits.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';
import { RoomsModule } from './rooms/rooms.module.js';
import { SeedModule } from './seed/seed.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { ToolsModule } from './tools/tools.module.js';
import { UsersModule } from './users/users.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({
  imports: [
    ConfigModule,
    ClockModule,
    LoggingModule,
    RateLimitsModule,
    DatabaseModule,
    RealtimeModule,
    ScheduleModule.forRoot(),
    AuthModule,
    UsersModule,
    ElevenLabsModule,
    HealthModule,
    InsightsModule,
    RoomsModule,
    ConversationsModule,
    PagesModule,
    MeModule,
    DashboardModule,
    AdminDashboardModule,
    SeedModule,
    SettingsModule,
    SchedulingModule,
    ToolsModule,
    WebhooksModule,
  ],
})
export class AppModule {}
