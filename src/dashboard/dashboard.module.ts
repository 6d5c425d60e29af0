import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityService } from './activity.service.js';
import { DashboardPageController } from './dashboard-page.controller.js';
import { ActivityEvent } from './entities/activity-event.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([ActivityEvent])],
  controllers: [DashboardPageController],
  providers: [ActivityService],
  exports: [ActivityService],
})
export class DashboardModule {}
