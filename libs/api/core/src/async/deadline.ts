export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * `promise`, or a `DeadlineExceeded` rejection after `ms`: for calls that would otherwise wait as
 * long as a dependency is down (Bull holds commands until Redis returns). The late result is dropped.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new DeadlineExceeded(`timed out after ${ms} ms`)), ms)),
  );
  promise.catch(() => undefined); // a rejection after the deadline must not go unhandled
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
