import { OrgOwnedEntity } from '@parley/api/organizations';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { WebhookDelivery } from './webhook-delivery.entity';

/** One try at a delivery: what the partner's server answered (or the network error) and how long it took. */
@Entity('webhook_delivery_attempts')
@Index(['deliveryId', 'attempt'], { unique: true })
export class WebhookDeliveryAttempt extends OrgOwnedEntity {
  @Column({ type: 'uuid' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: WebhookDelivery;

  /** 1 for the first try. */
  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'integer', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer' })
  latencyMs!: number;
}
