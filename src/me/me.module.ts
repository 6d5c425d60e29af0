import { Module } from '@nestjs/common';
import { InsightsModule } from '../insights/insights.module.js';
import { MePageController } from './me-page.controller.js';
import { MePageService } from './me-page.service.js';
import { SameOriginGuard } from './same-origin.guard.js';

/** `GET /me` (the progress page) and its action-item form. */
@Module({
  imports: [InsightsModule],
  controllers: [MePageController],
  providers: [MePageService, SameOriginGuard],
})
export class MeModule {}
