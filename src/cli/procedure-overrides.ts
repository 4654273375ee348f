/**
 * `npm run communes -- override …`: what one commune changes of its province's shared procedures (its desk, hours,
 * fees set by HĐND tỉnh, link, extra aliases and situations, procedures it does not offer). The shared catalog is
 * never changed, so the other communes keep the province's values. The service applies it at its next start.
 */
import { communeFlag, prepareForCommand } from './commune-flag.js';
import { listProcedureOverrides } from '../domain/procedures/catalog.repo.js';
import { clearProcedureOverride, setProcedureOverride, type OverrideChange } from '../domain/staff/overrides.repo.js';
import { StaffError } from '../domain/staff/users.js';
import { cliLogger, loadCliConfig, parseCommandLine, usageError } from './support.js';

const usage = `Cách dùng: npm run communes -- override list --commune MÃ-XÃ [--json]
       npm run communes -- override set MÃ-THỦ-TỤC --commune MÃ-XÃ [--submit-at "…"] [--processing-time "…"] [--fees "…"]
            [--online-url URL] [--audience "…"] [--alias "cách gọi"]… [--situation "tình huống"]… [--inactive | --active]
       npm run communes -- override clear MÃ-THỦ-TỤC --commune MÃ-XÃ
  Một giá trị rỗng ("") trả về giá trị của danh mục chung. Khởi động lại dịch vụ để áp dụng.`;

void communeFlag;
const { values, positionals } = parseCommandLine(
  {
    json: { type: 'boolean', default: false },
    'submit-at': { type: 'string' },
    'processing-time': { type: 'string' },
    fees: { type: 'string' },
    'online-url': { type: 'string' },
    audience: { type: 'string' },
    alias: { type: 'string', multiple: true },
    situation: { type: 'string', multiple: true },
    inactive: { type: 'boolean' },
    active: { type: 'boolean' },
  },
  usage,
  process.argv.slice(2).filter((a, i) => !(i === 0 && a === 'override')),
);
const [command, code] = positionals;
if (!command || !['list', 'set', 'clear'].includes(command)) usageError(`Thiếu hoặc sai lệnh «${command ?? ''}».`, usage);
if (command !== 'list' && !code) usageError('Thiếu mã thủ tục (ví dụ 1.001193).', usage);
if (values.inactive && values.active) usageError('Chọn --inactive hoặc --active, không cả hai.', usage);

const config = loadCliConfig();
const log = cliLogger(config);
const handle = await prepareForCommand(config);
let exitCode = 0;
try {
  if (command === 'list') {
    const rows = await listProcedureOverrides(handle.db);
    if (values.json) console.log(JSON.stringify(rows));
    else if (rows.length === 0) console.log(`Xã ${handle.tenant.slug} dùng nguyên danh mục chung.`);
    else for (const r of rows) console.log(`${r.code}${r.inactive ? '\tkhông thực hiện' : ''}${r.fees ? `\tphí: ${r.fees}` : ''}${r.submitAt ? `\tnơi nộp: ${r.submitAt}` : ''}${r.extraAliases?.length ? `\tthêm ${r.extraAliases.length} cách gọi` : ''}`);
  } else if (command === 'set') {
    const change: OverrideChange = {
      submitAt: values['submit-at'], processingTime: values['processing-time'], fees: values.fees, onlineUrl: values['online-url'], audience: values.audience,
      extraAliases: values.alias, extraSituations: values.situation, inactive: values.inactive ? true : values.active ? false : undefined,
    };
    try {
      await setProcedureOverride(handle.db, code!, change, 'cli');
      log.info({ commune: handle.tenant.slug, code }, 'procedure override set');
      console.log(`Đã lưu thay đổi riêng của xã ${handle.tenant.slug} cho thủ tục ${code}. Khởi động lại dịch vụ để áp dụng.`);
    } catch (e) {
      if (!(e instanceof StaffError)) throw e;
      console.error(e.message);
      exitCode = 1;
    }
  } else {
    try {
      const removed = await clearProcedureOverride(handle.db, code!, 'cli');
      console.log(removed ? `Thủ tục ${code} của xã ${handle.tenant.slug} trở lại theo danh mục chung.` : `Xã ${handle.tenant.slug} không có thay đổi riêng nào cho thủ tục ${code}.`);
    } catch (e) {
      if (!(e instanceof StaffError)) throw e;
      console.error(e.message);
      exitCode = 1;
    }
  }
} finally {
  await handle.close();
}
process.exit(exitCode);
