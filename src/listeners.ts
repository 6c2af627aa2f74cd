/**
 * In-process notification (a store's committed writes, a thread's events). A listener that throws is isolated: it can
 * break neither the store call that fired it nor the other listeners.
 */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  fire(...args: A): void {
    for (const l of [...this.set]) {
      try {
        l(...args);
      } catch {
        // A listener's failure is its own; the write it reports has already committed.
      }
    }
  }
}
