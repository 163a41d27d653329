import type { WritableSignal } from '@angular/core';
import { problemOf } from '@parley/console/core';

/** Runs a page's action, showing why it failed in `error` (cleared before it starts). */
export async function attempt(error: WritableSignal<string | null>, action: () => Promise<unknown>): Promise<void> {
  error.set(null);
  try {
    await action();
  } catch (failure) {
    error.set(problemOf(failure).summary);
  }
}
