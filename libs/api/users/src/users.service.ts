import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { User } from './user.entity';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Users are platform-wide (one person can belong to many orgs); org data never hangs off them. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<User[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In(ids) });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** The user and their password hash, for sign-in only. */
  findWithPasswordHash(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  create(manager: EntityManager, input: { email: string; name: string; passwordHash: string }): Promise<User> {
    const user = manager.create(User, { ...input, email: normalizeEmail(input.email), name: input.name.trim() });
    return manager.save(user);
  }
}
