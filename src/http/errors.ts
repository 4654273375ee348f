/** An error that knows how to render itself: HTTP status, a Vietnamese message for people, an English log line. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** Vietnamese, shown to staff or citizens. */
    readonly publicMessage: string,
    /** English, for the log. */
    logMessage?: string,
  ) {
    super(logMessage ?? publicMessage);
    this.name = 'HttpError';
  }
}
