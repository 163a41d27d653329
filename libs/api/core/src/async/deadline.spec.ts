import { DeadlineExceeded, withDeadline } from './deadline';

describe('withDeadline', () => {
  it('passes a prompt result through', async () => {
    await expect(withDeadline(Promise.resolve(42), 50)).resolves.toBe(42);
    await expect(withDeadline(Promise.reject(new Error('boom')), 50)).rejects.toThrow('boom');
  });

  it('gives up after the deadline, and a late rejection is not left unhandled', async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 80));
    await expect(withDeadline(late, 20)).rejects.toBeInstanceOf(DeadlineExceeded);
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
