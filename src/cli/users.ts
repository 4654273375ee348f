/**
 * Staff accounts from the command line (the way in when no administrator can sign in):
 *   npm run users -- list
 *   npm run users -- add <name> [--role administrator|editor|viewer|province] [--display-name "Nguyễn Văn A"]
 *     (role province: a province-level user of every commune, with no commune of its own)
 *   npm run users -- reset-password <name>
 *   npm run users -- role <name> <role>
 *   npm run users -- disable <name> | enable <name>
 *   npm run users -- unlock <name>     (forgives the name's recent wrong passwords, from every address)
 * One-time passwords are printed once; the user must change them at first sign-in.
 */
import { prepareForCommand } from './commune-flag.js';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { roleLabels, roles, type Role } from '../domain/staff/roles.js';
import { forgiveLoginAttempts } from '../domain/staff/login-attempts.repo.js';
import { findUserByName, listUsers } from '../domain/staff/users.repo.js';
import { createUser, normaliseUsername, resetPassword, StaffError, updateUserAccess } from '../domain/staff/users.js';
import { formatVnDateTime } from '../domain/staff/vn-time.js';

const usage = `Cách dùng / usage:
  npm run users -- list
  npm run users -- add <tên> [--role administrator|editor|viewer|province] [--display-name "Họ tên"] [--commune MÃ-XÃ]
  npm run users -- reset-password <tên>
  npm run users -- role <tên> <administrator|editor|viewer>
  npm run users -- disable <tên>
  npm run users -- enable <tên>
  npm run users -- unlock <tên>   (xoá các lần nhập sai gần đây, cho đăng nhập lại ngay)`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'editor' }, 'display-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, name, extra] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  const handle = await prepareForCommand(config);
  const db = handle.db;
  try {
    switch (command) {
      case 'list': {
        const users = await listUsers(db);
        if (users.length === 0) console.log('Chưa có người dùng nào. Khởi động dịch vụ hoặc chạy: npm run users -- add <tên> --role administrator');
        for (const u of users) {
          const flags = [u.disabled ? 'đã khoá' : '', u.mustChangePassword ? 'chưa đổi mật khẩu' : ''].filter(Boolean).join(', ');
          console.log(`${u.username.padEnd(20)} ${(roleLabels[u.role as Role] ?? u.role).padEnd(16)} đăng nhập gần nhất ${formatVnDateTime(u.lastLoginAt)}${flags ? ` (${flags})` : ''}`);
        }
        return 0;
      }
      case 'add': {
        if (!name) throw new StaffError('Thiếu tên đăng nhập.');
        const role = values.role ?? 'editor';
        const created = await createUser(db, { username: name, role, displayName: values['display-name'] ?? null }, 'cli', { province: role === 'province' });
        console.log(`Đã tạo ${created.user.username} (${roleLabels[created.user.role as Role]}).`);
        console.log(`Mật khẩu dùng một lần (chỉ hiện một lần): ${created.oneTimePassword}`);
        return 0;
      }
      case 'reset-password': {
        if (!name) throw new StaffError('Thiếu tên đăng nhập.');
        const password = await resetPassword(db, name, 'cli');
        console.log(`Mật khẩu dùng một lần mới của ${normaliseUsername(name)} (chỉ hiện một lần): ${password}`);
        return 0;
      }
      case 'role':
      case 'disable':
      case 'enable': {
        if (!name) throw new StaffError('Thiếu tên đăng nhập.');
        const user = await findUserByName(db, normaliseUsername(name));
        if (!user) throw new StaffError(`Không có người dùng “${name}”.`);
        const role = command === 'role' ? (extra ?? '') : user.role;
        if (command === 'role' && !(roles as readonly string[]).includes(role)) throw new StaffError(`Vai trò phải là một trong: ${roles.join(', ')}.`);
        await updateUserAccess(db, user.id, { role, disabled: command === 'disable' ? true : command === 'enable' ? false : user.disabled }, 'cli');
        console.log(`Đã cập nhật ${user.username}.`);
        return 0;
      }
      case 'unlock': {
        if (!name) throw new StaffError('Thiếu tên đăng nhập.');
        const forgiven = await forgiveLoginAttempts(db, normaliseUsername(name));
        console.log(`Đã mở khoá đăng nhập cho ${normaliseUsername(name)} (${forgiven} lần thử gần đây được xoá).`);
        return 0;
      }
      default:
        console.error(`Lệnh không rõ: ${command}\n${usage}`);
        return 1;
    }
  } finally {
    await handle.close();
  }
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof StaffError || e instanceof ConfigError)) throw e;
  console.error(e.message);
  code = 1;
}
// Exit now: after migrations on PostgreSQL a driver timer keeps the loop alive for ~10 s (reported to the lead).
process.exit(code);
