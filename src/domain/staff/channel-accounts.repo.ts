/**
 * The commune's own platform accounts as staff see them on the Kênh page: which Page, OA or bot answers for the
 * commune. Takes the commune-scoped client, so it lists only that commune's accounts; secrets are not read.
 */
import type { Db } from '../../db/client.js';
import { tenantOf } from '../../db/tenant.js';

export interface CommuneAccountView {
  channel: string;
  externalId: string;
  active: boolean;
}

export async function listCommuneAccounts(db: Db): Promise<Map<string, CommuneAccountView>> {
  const rows = await db.channelAccount.findMany({ select: { channel: true, externalId: true, active: true } });
  return new Map(rows.map((r) => [r.channel, r]));
}

/** Where the commune's own web chat is served (`/c/<slug>/chat`); null for an unscoped client. */
export function communeChatPath(db: Db): string | null {
  const tenant = tenantOf(db);
  return tenant ? `/c/${tenant.slug}/chat` : null;
}
