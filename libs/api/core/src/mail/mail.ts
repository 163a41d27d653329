import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { QueueName } from '../queue/queues';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The org the message is sent for, if any (job payloads carry their tenant). */
  orgId?: string;
}

/** Delivers one message. Transports: `log` today; SMTP or an email API plug in here. */
export interface MailTransport {
  send(message: MailMessage & { from: string }): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/**
 * Writes mail to the application log instead of sending it, so a local install needs no mail
 * server. Bodies (which hold invitation links) are logged outside production only.
 */
@Injectable()
export class LogMailTransport implements MailTransport {
  private readonly logger = new Logger('Mail');

  constructor(private readonly config: AppConfig) {}

  async send(message: MailMessage & { from: string }): Promise<void> {
    if (this.config.isProduction) {
      this.logger.warn(`mail transport is "log": not delivering "${message.subject}" to ${message.to}`);
      return;
    }
    this.logger.log(`to ${message.to}: ${message.subject}\n${message.text}`);
  }
}

/** Queues mail for the worker; callers never wait on delivery. */
@Injectable()
export class Mailer {
  constructor(@InjectQueue(QueueName.Mail) private readonly queue: Queue<MailMessage>) {}

  async send(message: MailMessage): Promise<void> {
    await this.queue.add('send', message);
  }
}

@Processor(QueueName.Mail)
export class MailProcessor {
  constructor(
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {}

  @Process('send')
  async deliver(job: Job<MailMessage>): Promise<void> {
    await this.transport.send({ ...job.data, from: this.config.MAIL_FROM });
  }
}

@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}

/** Worker side: the processor and the configured transport. */
@Module({
  providers: [MailProcessor, { provide: MAIL_TRANSPORT, useClass: LogMailTransport }],
})
export class MailJobsModule {}
