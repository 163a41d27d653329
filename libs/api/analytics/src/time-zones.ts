import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The time zones PostgreSQL knows (what `AT TIME ZONE` understands), read once. */
@Injectable()
export class PgTimeZones {
  /** PostgreSQL's spelling of each zone, by lower-cased name. */
  private names: Promise<Map<string, string>> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** PostgreSQL's spelling of a zone name, or undefined if it does not know the zone. */
  async find(name: string): Promise<string | undefined> {
    return (await this.load()).get(name.toLowerCase());
  }

  /** An org's zone as PostgreSQL spells it; UTC if PostgreSQL does not know it. */
  async orgZone(timezone: string): Promise<string> {
    return (await this.find(timezone)) ?? 'UTC';
  }

  private load(): Promise<Map<string, string>> {
    this.names ??= (this.dataSource.query('SELECT name FROM pg_timezone_names') as Promise<{ name: string }[]>).then(
      (rows) => new Map(rows.map((row) => [row.name.toLowerCase(), row.name])),
      (error: unknown) => {
        this.names = null;
        throw error;
      },
    );
    return this.names;
  }
}
