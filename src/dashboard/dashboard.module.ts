import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityService } from './activity.service.js';
import { ActivityEvent } from './entities/activity-event.entity.js';

/** The activity feed other modules write to (imported by conversations and webhooks; the pages live in AdminDashboardModule). */
@Module({
  imports: [TypeOrmModule.forFeature([ActivityEvent])],
  providers: [ActivityService],
  exports: [ActivityService],
})
export class DashboardModule {}
