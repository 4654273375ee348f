import { DeliveryError } from '../../domain/delivery.js';

/**
 * Sends the parts of one reply in order and returns their platform ids. When a later part fails after earlier ones
 * went out, a retry would repeat what the citizen already has, so a retryable failure becomes `unknown` (the ledger
 * records it unconfirmed for staff) instead of `retry`. `classify` turns a raw error into a DeliveryError.
 */
export async function sendInParts<T>(
  parts: readonly T[],
  sendPart: (part: T) => Promise<string>,
  classify: (e: unknown) => DeliveryError = (e) => (e instanceof DeliveryError ? e : new DeliveryError('unknown', String(e))),
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, part] of parts.entries()) {
    try {
      ids.push(await sendPart(part));
    } catch (e) {
      const err = classify(e);
      if (i > 0 && err.kind === 'retry') {
        throw new DeliveryError('unknown', `${i} of ${parts.length} parts sent (${ids.join(',')}), then: ${err.message}`, err.options);
      }
      throw err;
    }
  }
  return ids;
}
