import { Module } from '@nestjs/common';
import { DashboardPageController } from './dashboard-page.controller.js';

@Module({ controllers: [DashboardPageController] })
export class DashboardModule {}
