/**
 * `npm run communes -- channel …`: each commune's platform accounts (its Page, OA, Telegram bot). Staff or IT set
 * them here; the service picks them up at its next start. Secrets are never printed back (only their last 4).
 */
import { prepareDatabase } from '../app/prepare.js';
import {
  AccountConflictError,
  accountChannels,
  listChannelAccounts,
  removeChannelAccount,
  setChannelAccountActive,
  telegramBotId,
  upsertChannelAccount,
  type AccountChannel,
} from '../channels/accounts.js';
import { findCommuneBySlug, listCommunes } from '../domain/commune/communes.repo.js';
import { cliLogger, loadCliConfig, parseCommandLine, usageError } from './support.js';

const usage = `Cách dùng: npm run communes -- channel list [--commune MÃ-XÃ] [--json]
       npm run communes -- channel set messenger --commune MÃ-XÃ --page-id ID-TRANG --page-token MÃ-TRUY-CẬP-TRANG
       npm run communes -- channel set zalo --commune MÃ-XÃ --oa-id ID-OA --access-token MÃ --refresh-token MÃ-LÀM-MỚI
       npm run communes -- channel set telegram --commune MÃ-XÃ --bot-token 123456:ABC… [--webhook-secret BÍ-MẬT] [--channel-id @kenh]
       npm run communes -- channel enable|disable|remove messenger|zalo|telegram --commune MÃ-XÃ
  Khóa bí mật của ứng dụng (MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN, ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY)
  dùng chung cho mọi xã và đặt trong biến môi trường. Khởi động lại dịch vụ để áp dụng thay đổi.`;

const channelNames: Record<AccountChannel, string> = { messenger: 'Facebook Messenger', zalo: 'Zalo OA', telegram: 'Telegram' };

/** The last four characters of a secret, so staff can tell which one is stored without it being shown. */
export function maskSecret(secret: unknown): string {
  return typeof secret === 'string' && secret.length > 0 ? `…${secret.slice(-4)}` : '—';
}

const { values, positionals } = parseCommandLine(
  {
    commune: { type: 'string' },
    json: { type: 'boolean', default: false },
    'page-id': { type: 'string' },
    'page-token': { type: 'string' },
    'oa-id': { type: 'string' },
    'access-token': { type: 'string' },
    'refresh-token': { type: 'string' },
    'bot-token': { type: 'string' },
    'webhook-secret': { type: 'string' },
    'channel-id': { type: 'string' },
  },
  usage,
  process.argv.slice(2).filter((a, i) => !(i === 0 && a === 'channel')),
);
const [command, channelArg] = positionals;
if (!command || !['list', 'set', 'enable', 'disable', 'remove'].includes(command)) usageError(`Thiếu hoặc sai lệnh «${command ?? ''}».`, usage);
const channel = channelArg as AccountChannel | undefined;
if (command !== 'list' && !accountChannels.includes(channel as AccountChannel)) {
  usageError(`Kênh «${channelArg ?? ''}» không có tài khoản riêng: chọn messenger, zalo hoặc telegram.`, usage);
}

const need = (name: 'page-id' | 'page-token' | 'oa-id' | 'access-token' | 'bot-token'): string => {
  const v = values[name]?.trim();
  if (!v) usageError(`Thiếu --${name}.`, usage);
  return v;
};

const config = loadCliConfig();
const log = cliLogger(config);
const handle = await prepareDatabase(config, { allCommunes: true });
const root = handle.root;
let exitCode = 0;
try {
  const communes = await listCommunes(root);
  const slugOf = new Map(communes.map((c) => [c.id, c.slug]));
  const commune = values.commune
    ? await findCommuneBySlug(root, values.commune)
    : communes.length === 1
      ? communes[0]!
      : null;
  if (values.commune && !commune) usageError(`Không có xã «${values.commune}» (các xã: ${communes.map((c) => c.slug).join(', ') || '—'}).`, usage);
  if (command !== 'list' && !commune) usageError(`Cài đặt này có ${communes.length} xã: hãy chọn xã bằng --commune MÃ-XÃ.`, usage);

  if (command === 'list') {
    const rows = await listChannelAccounts(root, commune ? { communeId: commune.id } : {});
    const shown = rows.map((r) => {
      const s = (r.settings ?? {}) as Record<string, unknown>;
      const secret = s.pageAccessToken ?? s.accessToken ?? s.botToken;
      return { commune: slugOf.get(r.communeId), channel: r.channel, accountId: r.externalId, active: r.active, secret: maskSecret(secret) };
    });
    if (values.json) console.log(JSON.stringify(shown));
    else if (shown.length === 0) console.log('Chưa có tài khoản kênh nào.');
    else for (const r of shown) console.log(`${r.commune}\t${r.channel}\t${r.accountId}\t${r.active ? 'đang dùng' : 'đã tắt'}\tmã ${r.secret}`);
  } else if (command === 'set') {
    const target = commune!;
    const account =
      channel === 'messenger'
        ? { externalId: need('page-id'), settings: { pageAccessToken: need('page-token') } }
        : channel === 'zalo'
          ? { externalId: need('oa-id'), settings: { accessToken: need('access-token'), refreshToken: values['refresh-token']?.trim() || undefined } }
          : (() => {
              const botToken = need('bot-token');
              if (!/^\d+:[A-Za-z0-9_-]+$/.test(botToken)) usageError('Mã bot Telegram có dạng 123456:ABC-def (lấy từ @BotFather).', usage);
              return {
                externalId: telegramBotId(botToken),
                settings: { botToken, webhookSecret: values['webhook-secret']?.trim() || undefined, channelId: values['channel-id']?.trim() || undefined },
              };
            })();
    if (!/^[0-9A-Za-z_-]{1,64}$/.test(account.externalId)) usageError(`Mã tài khoản «${account.externalId}» không hợp lệ.`, usage);
    try {
      await upsertChannelAccount(root, { communeId: target.id, channel: channel!, ...account });
      log.info({ commune: target.slug, channel, accountId: account.externalId }, 'channel account set');
      console.log(`Đã lưu tài khoản ${channelNames[channel!]} ${account.externalId} cho ${target.name}. Khởi động lại dịch vụ để áp dụng.`);
    } catch (e) {
      if (!(e instanceof AccountConflictError)) throw e;
      console.error(
        `Tài khoản ${channelNames[channel!]} ${account.externalId} đã thuộc xã «${slugOf.get(e.ownerCommuneId)}»: một trang/OA chỉ trả lời cho một xã. Gỡ ở xã đó trước (channel remove).`,
      );
      log.warn({ commune: target.slug, channel, accountId: account.externalId, owner: slugOf.get(e.ownerCommuneId) }, 'channel account refused: it belongs to another commune');
      exitCode = 1;
    }
  } else {
    const target = commune!;
    const done = command === 'remove' ? await removeChannelAccount(root, target.id, channel!) : await setChannelAccountActive(root, target.id, channel!, command === 'enable');
    if (!done) {
      console.error(`${target.name} chưa có tài khoản ${channelNames[channel!]}.`);
      exitCode = 1;
    } else {
      log.info({ commune: target.slug, channel, command }, 'channel account changed');
      const verb = command === 'remove' ? 'Đã gỡ' : command === 'enable' ? 'Đã bật' : 'Đã tắt';
      console.log(`${verb} tài khoản ${channelNames[channel!]} của ${target.name}. Khởi động lại dịch vụ để áp dụng.`);
    }
  }
} finally {
  await handle.close();
}
process.exit(exitCode);
