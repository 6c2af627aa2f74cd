/** Default bounded wait for UI state (ms). */
export const UI_TIMEOUT = 10_000;

export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = UI_TIMEOUT,
  everyMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
