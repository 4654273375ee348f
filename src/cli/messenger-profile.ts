/**
 * `npm run messenger:profile [-- "UBND xã …"]`: sets the Page's Get Started button, greeting and persistent menu.
 * Run it once after connecting the Page, and again after changing the menu.
 */
import { ConfigError, loadConfig } from '../config.js';
import { DeliveryError } from '../domain/delivery.js';
import { setMessengerProfile } from '../channels/messenger/profile.js';

try {
  const config = loadConfig();
  if (!config.MESSENGER_PAGE_ACCESS_TOKEN) {
    console.error('Chưa cấu hình MESSENGER_PAGE_ACCESS_TOKEN: hãy điền mã truy cập Trang vào tệp .env rồi chạy lại.');
    process.exit(1);
  }
  await setMessengerProfile(config, process.argv[2]);
  console.log('Đã cài nút "Bắt đầu", lời chào và menu cố định cho Trang Facebook.');
} catch (e) {
  if (e instanceof ConfigError) console.error(e.message);
  else if (e instanceof DeliveryError) console.error(`Facebook từ chối cài đặt (${e.kind}): ${e.options.staffMessage ?? e.message}`);
  else console.error(`Không cài được menu Messenger: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
