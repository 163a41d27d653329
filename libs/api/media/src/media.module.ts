import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { AppConfig } from '@parley/api/core';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { Media } from './entities/media.entity';
import { MediaJob } from './jobs/media.job';
import { MediaDownloadsService } from './media-downloads.service';
import { MediaController } from './media.controller';
import { MediaService } from './media.service';
import { createMediaStorage } from './storage/create-media-storage';
import { MEDIA_STORAGE } from './storage/media-storage';

const storage = { provide: MEDIA_STORAGE, inject: [AppConfig], useFactory: createMediaStorage };

@Module({
  imports: [TypeOrmModule.forFeature([Media]), WabaAccountsModule, AuditModule],
  controllers: [MediaController],
  providers: [MediaService, storage],
  exports: [MediaService, MEDIA_STORAGE],
})
export class MediaModule {}

/** Worker side: downloads inbound media from Meta and runs the sweeper. */
@Module({
  imports: [MediaModule, TypeOrmModule.forFeature([Media]), WabaAccountsModule],
  providers: [MediaDownloadsService, MediaJob],
})
export class MediaJobsModule {}
