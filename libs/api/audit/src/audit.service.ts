import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Actor,
  actorOf,
  clientIp,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  isBigintId,
  optionalPrincipal,
  Page,
  requestId,
  toPage,
} from '@parley/api/core';
import { EntityManager, Repository } from 'typeorm';
import { AuditLogQuery } from './dto/audit-log.dto';
import { AuditChanges, AuditLog } from './entities/audit-log.entity';

export interface AuditEntry {
  orgId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  changes?: AuditChanges;
  /** Defaults to the request's principal. */
  actor?: Actor;
}

/** The fields whose values differ between two snapshots, as `{ before, after }` (undefined when none did). */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): AuditChanges | undefined {
  const keys = Object.keys(after).filter((key) => after[key] !== undefined && after[key] !== before[key]);
  if (keys.length === 0) return undefined;
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key]])),
    after: Object.fromEntries(keys.map((key) => [key, after[key]])),
  };
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>) {}

  /** Writes the audit row in the caller's transaction, so a mutation and its record commit together. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const actor = entry.actor ?? actorOf(optionalPrincipal());
    await manager.save(
      manager.create(AuditLog, {
        orgId: entry.orgId,
        actorType: actor.type,
        actorId: actor.id,
        actorLabel: actor.label,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        changes: entry.changes ?? null,
        ip: clientIp() ?? null,
        requestId: requestId() ?? null,
      }),
    );
  }

  /** Newest first, filtered, paged by id. */
  async list(orgId: string, query: AuditLogQuery): Promise<Page<AuditLog>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.logs.createQueryBuilder('log').where('log.orgId = :orgId', { orgId });
    if (query.actor) qb.andWhere('log.actorId = :actor', { actor: query.actor });
    if (query.action?.endsWith('.*')) {
      qb.andWhere('log.action LIKE :action', { action: `${query.action.slice(0, -1)}%` });
    } else if (query.action) {
      qb.andWhere('log.action = :action', { action: query.action });
    }
    if (query.targetType) qb.andWhere('log.targetType = :targetType', { targetType: query.targetType });
    if (query.targetId) qb.andWhere('log.targetId = :targetId', { targetId: query.targetId });
    if (query.from) qb.andWhere('log.createdAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('log.createdAt < :to', { to: query.to });
    if (query.cursor) {
      const [beforeId] = decodeCursor(query.cursor, [isBigintId]);
      qb.andWhere('log.id < :beforeId', { beforeId });
    }
    const rows = await qb
      .orderBy('log.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.id]);
  }
}
