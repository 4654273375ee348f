/** Kênh: each channel's status and last error, and a test send through the ledger. */
import type { Router } from 'express';
import { communeChatPath, listCommuneAccounts, type CommuneAccountView } from '../../../domain/staff/channel-accounts.repo.js';
import { channelStatuses, restoreChannel, testSend, type ChannelStatus } from '../../../domain/staff/channels.js';
import { can } from '../../../domain/staff/roles.js';
import { formatVnDateTime } from '../../../domain/staff/vn-time.js';
import { allow, staffOf } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { field } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { channelLabels, deliveryStatusLabels, label } from './labels.js';

const addressHints: Record<string, string> = {
  messenger: 'PSID của người nhận (người đó phải nhắn cho Trang trong 24 giờ qua)',
  zalo: 'user_id Zalo của người quan tâm OA',
  telegram: 'chat id (số) của người nhận hoặc nhóm',
  webchat: 'Để trống: tin thử được gửi vào cuộc trò chuyện mới nhất trên trang web của xã. Mở trang chat (/chat) trên máy của bạn, gửi một tin, rồi bấm «Gửi thử».',
};

const accountKinds: Record<string, string> = { messenger: 'Trang Facebook (Page ID)', zalo: 'Zalo OA (OA ID)', telegram: 'Bot Telegram (bot ID)' };

/** Which account of the commune answers on this channel (`*`: the one configured in .env without its id). */
function accountFacts(name: string, account: CommuneAccountView | undefined, chatPath: string | null) {
  if (name === 'webchat') return chatPath ? html`<dt>Địa chỉ trang hỏi đáp</dt><dd><a href="${chatPath}">${chatPath}</a></dd>` : '';
  if (!account) return html`<dt>Tài khoản của xã</dt><dd>Chưa có</dd>`;
  const id = account.externalId === '*' ? 'theo cấu hình .env' : account.externalId;
  return html`<dt>${accountKinds[name] ?? 'Tài khoản của xã'}</dt><dd>${id}${account.active ? '' : ' (đã tắt)'}</dd>`;
}

/** The oldest unsent reply has waited longer than the alert age. */
function backedUp(s: ChannelStatus, now: Date, alertAgeSeconds: number): boolean {
  return s.oldestPendingAt !== null && now.getTime() - s.oldestPendingAt.getTime() > alertAgeSeconds * 1000;
}

/** "45 giây", "12 phút", "3 giờ 5 phút". */
function waitLabel(since: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  if (seconds < 60) return `${seconds} giây`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} phút`;
  return `${Math.floor(minutes / 60)} giờ${minutes % 60 ? ` ${minutes % 60} phút` : ''}`;
}

export function channelRoutes(router: Router, deps: AdminDeps): void {
  router.get('/channels', async (_req, res) => {
    const staff = staffOf(res);
    const now = new Date();
    const statuses = await channelStatuses(deps.db, deps.channels, now);
    const accounts = await listCommuneAccounts(deps.db);
    const chatPath = communeChatPath(deps.db);
    const mayTest = can(staff.user.role, 'channels.test');
    const alertAge = deps.queueAlertAgeSeconds ?? 300;
    renderPage(res, staff, {
      title: 'Kênh',
      active: 'channels',
      body: html`<div class="grid">
${statuses.map((s) => html`<section class="card channel" aria-labelledby="ch-${s.name}">
  <h2 id="ch-${s.name}">${label(channelLabels, s.name)}</h2>
  <p>${!s.configured ? html`<span class="pill off">Chưa cấu hình</span>` : s.healthy ? html`<span class="pill good">Hoạt động</span>` : html`<span class="pill bad">Lỗi xác thực</span>`}${backedUp(s, now, alertAge) ? html` <span class="pill bad">Hàng đợi chậm</span>` : ''}</p>
  ${backedUp(s, now, alertAge) ? html`<p class="error-text" role="alert">Có ${s.pending} tin đang chờ gửi, tin cũ nhất đã chờ ${waitLabel(s.oldestPendingAt!, now)} (ngưỡng cảnh báo ${waitLabel(new Date(now.getTime() - alertAge * 1000), now)}). Nền tảng đang trả lời chậm hoặc giới hạn số tin mỗi giây; các tin vẫn được gửi lần lượt, không bị mất. Nếu kéo dài, báo cán bộ CNTT kiểm tra kết nối và giới hạn gửi của kênh.</p>` : ''}
  <dl class="facts">
    ${accountFacts(s.name, accounts.get(s.name), chatPath)}
    <dt>Gửi thành công gần nhất</dt><dd>${formatVnDateTime(s.lastSentAt)}</dd>
    <dt>Tin nhận gần nhất</dt><dd>${formatVnDateTime(s.lastInboundAt)}</dd>
    <dt>Đang chờ gửi</dt><dd>${s.pending}${s.oldestPendingAt ? html` (tin cũ nhất chờ ${waitLabel(s.oldestPendingAt, now)})` : ''}</dd>
    <dt>Lỗi trong 7 ngày</dt><dd>${s.recentFailures}</dd>
    ${s.lastError ? html`<dt>Lỗi gần nhất</dt><dd class="error-text">${s.lastError} (${formatVnDateTime(s.lastErrorAt)})</dd>` : ''}
  </dl>
  ${s.configured && !s.healthy && mayTest ? html`<form method="post" action="/admin/channels/${s.name}/restore" class="card-action">
    ${csrfField(staff)}
    <p class="hint">Nền tảng đã từ chối mã truy cập. Sau khi cán bộ CNTT cập nhật mã trong cấu hình và khởi động lại, bấm nút dưới để gửi tiếp các tin và bài đang giữ.</p>
    <button type="submit" class="primary">Đã cập nhật mã, cho kênh hoạt động lại</button>
  </form>` : ''}
  ${!s.configured ? html`<p class="hint">Cán bộ CNTT thêm tài khoản của xã bằng lệnh <code>npm run communes -- channel set …</code> (hoặc trong tệp cấu hình .env với cài đặt một xã) rồi khởi động lại dịch vụ.</p>` : ''}
  ${s.configured && mayTest ? html`<form method="post" action="/admin/channels/${s.name}/test" class="row">
    ${csrfField(staff)}
    <div class="f"><label for="addr-${s.name}">Gửi thử tới</label>
    <input id="addr-${s.name}" name="address"${s.name === 'webchat' ? '' : html` required`} aria-describedby="addr-${s.name}-hint">
    <p class="hint" id="addr-${s.name}-hint">${addressHints[s.name] ?? 'Địa chỉ người nhận'}</p></div>
    <button type="submit">Gửi thử</button>
  </form>` : ''}
</section>`)}
</div>`,
    });
  });

  router.post('/channels/:name/restore', allow('channels.test'), async (req, res) => {
    await restoreChannel(deps.db, String(req.params.name), staffOf(res).user.username);
    res.redirect(303, '/admin/channels?ok=saved');
  });

  router.post('/channels/:name/test', allow('channels.test'), async (req, res) => {
    const staff = staffOf(res);
    const channel = String(req.params.name);
    const result = await testSend({ ...deps, configured: deps.channels }, { channel, address: field(req, 'address'), who: staff.user.username });
    const statuses = await channelStatuses(deps.db, deps.channels);
    const ok = result.status === 'sent';
    renderPage(res, staff, {
      title: 'Kênh',
      active: 'channels',
      status: ok ? 200 : 502,
      notice: ok ? `Đã gửi tin thử qua ${label(channelLabels, channel)}.` : null,
      error: ok ? null : `Gửi thử qua ${label(channelLabels, channel)}: ${label(deliveryStatusLabels, result.status)}${result.error ? ` — ${result.error}` : ''}.`,
      body: html`<p><a href="/admin/channels">← Xem lại trạng thái các kênh</a></p>
<ul class="list">${statuses.filter((s) => s.name === channel).map((s) => html`<li class="item">${label(channelLabels, s.name)}: ${s.healthy ? 'hoạt động' : 'lỗi xác thực'}</li>`)}</ul>`,
    });
  });
}
