import { computed, signal } from '@angular/core';
import { problemOf } from './errors';

/** One page of a list endpoint: the API's `{ data, nextCursor }`. */
export interface CursorPage<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A table's pages over one of the API's cursor-paged lists: first, next and previous page (the
 * cursors seen are kept, since the API pages forward only), the current page again after an edit,
 * and the loading and error state a page shows.
 */
export class CursorPager<T> {
  readonly rows = signal<T[]>([]);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  /** 1-based, for "page 3". */
  readonly page = signal(1);
  readonly next = signal<string | null>(null);
  readonly hasPrevious = computed(() => this.previous().length > 0);
  private readonly previous = signal<(string | null)[]>([]);
  private readonly cursor = signal<string | null>(null);

  /** `fetch` loads one page from `cursor` (null: the first); null when there is nothing to load (no org yet). */
  constructor(private readonly fetch: (cursor: string | null) => Promise<CursorPage<T>> | null) {}

  first(): Promise<void> {
    this.previous.set([]);
    this.page.set(1);
    return this.load(null);
  }

  nextPage(): Promise<void> {
    this.previous.update((list) => [...list, this.cursor()]);
    this.page.update((page) => page + 1);
    return this.load(this.next());
  }

  previousPage(): Promise<void> {
    const list = this.previous();
    this.previous.set(list.slice(0, -1));
    this.page.update((page) => page - 1);
    return this.load(list[list.length - 1] ?? null);
  }

  /** The page on screen again, after a change to its rows. */
  reload(): Promise<void> {
    return this.load(this.cursor());
  }

  private async load(cursor: string | null): Promise<void> {
    const request = this.fetch(cursor);
    if (!request) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await request;
      this.rows.set(page.data);
      this.cursor.set(cursor);
      this.next.set(page.nextCursor);
    } catch (error) {
      this.error.set(problemOf(error).summary);
    } finally {
      this.loading.set(false);
    }
  }
}
