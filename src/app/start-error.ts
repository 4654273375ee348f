/**
 * A start failure that the operator fixes in the configuration: one English line naming the variable (or the
 * port), printed by main.ts instead of a stack trace, before anything else was printed or written.
 */
export class StartError extends Error {
  constructor(
    /** The variable to fix, e.g. PORT or DATABASE_URL. */
    readonly variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartError';
  }
}

/** Runs one start step; any failure becomes a StartError naming `variable`, with the cause's message. */
export async function startStep<T>(variable: string, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof StartError) throw e;
    const cause = String((e as Error).message ?? e).replace(/\s+/g, ' ').trim();
    throw new StartError(variable, `${variable}: ${what} failed: ${cause}`, { cause: e });
  }
}
