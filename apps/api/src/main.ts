import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@parley/api/core';
import { AppModule } from './app.module';
import { logLevels } from './logger';
import { setupHttp } from './http';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: logLevels(config), rawBody: true });
  setupHttp(app);
  await app.listen(config.PORT, config.HOST);
  new Logger('Parley').log(`API listening on port ${config.PORT}; docs at ${config.PUBLIC_URL}/api/docs`);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
