import { createHmac } from 'node:crypto';

/**
 * Pseudonymous citizen id for the ledger and reports: stable per channel and address, not reversible without the
 * secret, so reports and exports never carry a platform user id.
 */
export function citizenRef(secret: string, channel: string, address: string): string {
  return createHmac('sha256', secret).update(`${channel}:${address}`).digest('base64url').slice(0, 22);
}
