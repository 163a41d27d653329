import { Process, Processor } from '@nestjs/bull';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask, QueueName } from '@parley/api/core';
import type { Job } from 'bull';
import { DownloadOutcome, MediaDownloadsService } from '../media-downloads.service';
import type { DownloadJob } from '../media.service';

/** Worker side of media: downloads inbound files from Meta, and sweeps up any Redis never got. */
@Processor(QueueName.Media)
export class MediaJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: PeriodicTask;

  constructor(
    private readonly downloads: MediaDownloadsService,
    config: AppConfig,
  ) {
    this.sweeper = new PeriodicTask('MediaSweeper', config.WEBHOOK_SWEEP_INTERVAL_MS, () => this.downloads.sweep());
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** A few at a time: each holds a file of up to 100 MB in memory while it is checked and stored. */
  @Process({ name: 'download', concurrency: 4 })
  download(job: Job<DownloadJob>): Promise<DownloadOutcome> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.downloads.download(job.data.orgId, job.data.mediaId, lastAttempt);
  }
}
