import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../crypto/secret-box';
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

/**
 * A queued message: sealed, because mail carries credentials (invitation links) and Redis keeps
 * jobs around. The org id stays readable so the worker can re-enter the tenant.
 */
interface MailJob {
  orgId?: string;
  sealed: string;
}

const SEALED_AT = 'queue:mail';

/** Queues mail for the worker; callers never wait on delivery. */
@Injectable()
export class Mailer {
  constructor(
    @InjectQueue(QueueName.Mail) private readonly queue: Queue<MailJob>,
    private readonly box: SecretBox,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.queue.add(
      'send',
      { orgId: message.orgId, sealed: this.box.encrypt(JSON.stringify(message), SEALED_AT) },
      { removeOnComplete: true },
    );
  }
}

@Processor(QueueName.Mail)
export class MailProcessor {
  constructor(
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  @Process('send')
  async deliver(job: Job<MailJob>): Promise<void> {
    const message = JSON.parse(this.box.decrypt(job.data.sealed, SEALED_AT)) as MailMessage;
    await this.transport.send({ ...message, from: this.config.MAIL_FROM });
  }
}

@Module({ providers: [Mailer, SecretBox], exports: [Mailer] })
export class MailModule {}

/** Worker side: the processor and the configured transport. */
@Module({
  providers: [MailProcessor, SecretBox, { provide: MAIL_TRANSPORT, useClass: LogMailTransport }],
})
export class MailJobsModule {}
