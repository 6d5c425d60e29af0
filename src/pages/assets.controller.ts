import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { PROJECT_ROOT } from '../config/app-version.js';

/** The widget bundle from the installed @elevenlabs/convai-widget-embed package (its main file). */
export const WIDGET_SCRIPT_FILE = createRequire(import.meta.url).resolve('@elevenlabs/convai-widget-embed');

/** Our own static files (public/assets), by name: nothing else on disk is reachable. */
const OWN_ASSETS: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'room-client.js': 'text/javascript; charset=utf-8',
  'me.js': 'text/javascript; charset=utf-8',
  'admin.js': 'text/javascript; charset=utf-8',
  'admin.css': 'text/css; charset=utf-8',
};

@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  @Get('convai-widget.js')
  widget(@Res() response: Response): void {
    response.sendFile(WIDGET_SCRIPT_FILE, {
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=86400' },
      cacheControl: false,
    });
  }

  @Get(':name')
  own(@Param('name') name: string, @Res() response: Response): void {
    const type = Object.hasOwn(OWN_ASSETS, name) ? OWN_ASSETS[name] : undefined;
    if (!type) throw new NotFoundException(`no asset ${name}`);
    response.sendFile(join(PROJECT_ROOT, 'public', 'assets', name), {
      headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' },
      cacheControl: false,
    });
  }
}
