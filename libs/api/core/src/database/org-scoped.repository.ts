import type { EntityManager, FindOptionsWhere, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { isUuid } from './uuid';

type OrgOwned = ObjectLiteral & { id: string; orgId: string };

/**
 * A repository whose every read and write names the org: an unscoped query does not type-check.
 * Features wrap their TypeORM repository in one and keep the raw repository private.
 */
export class OrgScopedRepository<T extends OrgOwned> {
  constructor(
    private readonly repository: Repository<T>,
    private readonly label: string,
  ) {}

  /** The same repository bound to a transaction's entity manager. */
  in(manager: EntityManager): OrgScopedRepository<T> {
    return new OrgScopedRepository(manager.getRepository<T>(this.repository.target), this.label);
  }

  findOne(
    orgId: string,
    where: FindOptionsWhere<T>,
    options: { lock?: 'pessimistic_read' | 'pessimistic_write' } = {},
  ): Promise<T | null> {
    return this.repository.findOne({
      where: { ...where, orgId } as FindOptionsWhere<T>,
      ...(options.lock && { lock: { mode: options.lock } }),
    });
  }

  /** The row with `id` in `orgId`, or a 404 that does not say whether it exists elsewhere. */
  async get(orgId: string, id: string, options: { lock?: 'pessimistic_read' | 'pessimistic_write' } = {}): Promise<T> {
    const row = isUuid(id) ? await this.findOne(orgId, { id } as FindOptionsWhere<T>, options) : null;
    if (!row) throw DomainError.notFound(this.label);
    return row;
  }

  query(orgId: string, alias: string): SelectQueryBuilder<T> {
    return this.repository.createQueryBuilder(alias).where(`${alias}.orgId = :orgId`, { orgId });
  }

  save(entity: T): Promise<T> {
    return this.repository.save(entity);
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.repository.delete({ id, orgId } as FindOptionsWhere<T>);
  }
}
