/**
 * The one page layout: header, navigation (a scrollable row on phones, a sidebar on wide screens), flash messages,
 * and the page's content. No inline script or style: CSS and JS are files under /admin/assets (CSP script-src 'self').
 */
import type { Response } from 'express';
import { can, roleLabels, type Permission, type Role } from '../../domain/staff/roles.js';
import type { StaffContext } from './auth.js';
import { html, type Html } from './html.js';

interface NavItem {
  href: string;
  label: string;
  key: string;
  permission: Permission;
}

const nav: NavItem[] = [
  { href: '/admin', label: 'Tổng quan', key: 'overview', permission: 'read' },
  { href: '/admin/inbox', label: 'Hộp thư', key: 'inbox', permission: 'read' },
  { href: '/admin/unanswered', label: 'Câu hỏi chưa trả lời', key: 'unanswered', permission: 'read' },
  { href: '/admin/feedback', label: 'Phản ánh, kiến nghị', key: 'feedback', permission: 'read' },
  { href: '/admin/procedures', label: 'Thủ tục hành chính', key: 'procedures', permission: 'read' },
  { href: '/admin/posts', label: 'Thư viện nội dung', key: 'posts', permission: 'read' },
  { href: '/admin/schedule', label: 'Lịch đăng bài', key: 'schedule', permission: 'read' },
  { href: '/admin/reports', label: 'Báo cáo', key: 'reports', permission: 'read' },
  { href: '/admin/hotlines', label: 'Đường dây nóng', key: 'hotlines', permission: 'read' },
  { href: '/admin/channels', label: 'Kênh', key: 'channels', permission: 'read' },
  { href: '/admin/users', label: 'Người dùng', key: 'users', permission: 'users.manage' },
  { href: '/admin/audit', label: 'Nhật ký thay đổi', key: 'audit', permission: 'users.manage' },
  { href: '/admin/province', label: 'Báo cáo toàn tỉnh', key: 'province', permission: 'province.view' },
];

/** The commune the page belongs to, and for a province user a form to switch to another one. */
function communeBar(res: Response, staff: StaffContext): Html {
  const current = res.locals.commune as { slug: string; name: string } | undefined;
  const all = (res.locals.communes as { slug: string; name: string }[] | undefined) ?? [];
  if (!current) return html``;
  if (staff.user.role !== 'province' || all.length < 2) return html`<div class="commune"><span>${current.name}</span></div>`;
  return html`<form method="post" action="/admin/commune" class="commune inline"><input type="hidden" name="_csrf" value="${staff.csrfToken}">
<label for="commune-switch">Xã, phường</label> <select id="commune-switch" name="slug">${all.map((c) => html`<option value="${c.slug}"${c.slug === current.slug ? html` selected` : html``}>${c.name}</option>`)}</select>
<button type="submit">Chuyển</button></form>`;
}

/** Short confirmation messages shown after a redirect (?ok=code), so nothing staff typed is echoed from the URL. */
const flashes: Record<string, string> = {
  saved: 'Đã lưu thay đổi.',
  created: 'Đã tạo mới.',
  deleted: 'Đã xoá.',
  sent: 'Đã gửi tin nhắn.',
  queued: 'Tin nhắn đã vào hàng đợi và sẽ được gửi lại tự động.',
  handed_back: 'Đã chuyển cuộc hội thoại về cho trợ lý tự động; người dân đã được báo.',
  assigned: 'Đã giao cuộc hội thoại.',
  noted: 'Đã lưu ghi chú nội bộ.',
  attached: 'Đã gắn câu hỏi vào thủ tục; từ nay trợ lý sẽ nhận ra cách hỏi này. Có thể hoàn tác ở mục «Vừa gắn vào thủ tục».',
  undone: 'Đã hoàn tác: cách hỏi đã được gỡ khỏi thủ tục, các câu hỏi trở lại danh sách chưa trả lời.',
  dismissed: 'Đã bỏ qua nhóm câu hỏi.',
  password_changed: 'Đã đổi mật khẩu.',
  imported: 'Đã nhập dữ liệu.',
  cancelled: 'Đã hủy.',
  retried: 'Đã đưa lại vào hàng đợi.',
  recorded: 'Đã ghi nhận.',
  queued_post: 'Đã đưa bài vào lịch đăng.',
  answered: 'Đã gửi trả lời cho người dân qua kênh của họ.',
  transferred: 'Đã chuyển phản ánh và báo cho người dân.',
  processing: 'Đã nhận xử lý phản ánh.',
  drafted: 'Đã tạo bài nháp trong thư viện nội dung; bài chỉ được đăng khi cán bộ đưa vào lịch đăng.',
  redacted: 'Đã xoá dữ liệu cá nhân của phản ánh.',
};

export interface PageOptions {
  title: string;
  active?: string;
  body: Html;
  status?: number;
  /** Vietnamese error shown above the content. */
  error?: string | null;
  notice?: string | null;
  badges?: Partial<Record<string, number>>;
}

function shell(title: string, main: Html, header: Html = html``, live = false): Html {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Quản trị CCHC</title>
<link rel="icon" href="/admin/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/admin.js" defer></script>
</head>
<body${live ? html` data-live-url="/admin/live"` : html``}>
<a class="skip" href="#main">Bỏ qua menu, tới nội dung</a>
${header}
${main}
</body>
</html>`;
}

export function renderPage(res: Response, staff: StaffContext, opts: PageOptions): void {
  const role = staff.user.role as Role;
  const flash = typeof res.req.query.ok === 'string' ? flashes[res.req.query.ok] : undefined;
  const items = nav.filter((n) => can(role, n.permission));
  const badges = { ...(res.locals.badges as Record<string, number> | undefined), ...opts.badges };
  const header = html`<header class="top">
  <a class="brand" href="/admin">Hỗ trợ thủ tục hành chính</a>
  ${communeBar(res, staff)}
  <div class="who"><span>${staff.user.displayName ?? staff.user.username}</span> <small>(${roleLabels[role] ?? role})</small>
    <a href="/admin/account/profile">Hồ sơ</a>
    <a href="/admin/account/password">Đổi mật khẩu</a>
    <form method="post" action="/admin/logout" class="inline"><input type="hidden" name="_csrf" value="${staff.csrfToken}"><button class="link" type="submit">Đăng xuất</button></form>
  </div>
</header>
<nav class="side" aria-label="Chức năng"><ul>
${items.map((n) => {
  const badge = badges[n.key];
  return html`<li><a href="${n.href}" data-nav="${n.key}"${opts.active === n.key ? html` aria-current="page"` : html``}>${n.label}${badge ? html` <span class="badge" aria-label="${badge} đang chờ">${badge}</span>` : html``}</a></li>`;
})}
</ul></nav>`;
  const main = html`<main id="main" tabindex="-1">
<h1>${opts.title}</h1>
${flash ? html`<p class="flash ok" role="status">${flash}</p>` : html``}
${opts.notice ? html`<p class="flash ok" role="status">${opts.notice}</p>` : html``}
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : html``}
${opts.body}
</main>`;
  // The tab's title counts conversations waiting for staff, as help desks do; admin.js keeps it current.
  const waiting = badges.inbox ?? 0;
  res.status(opts.status ?? 200).type('html').send(shell(waiting > 0 ? `(${waiting}) ${opts.title}` : opts.title, main, header, !staff.user.mustChangePassword).value);
}

/** Pages without a session (sign-in). */
export function renderBarePage(res: Response, opts: { title: string; body: Html; status?: number; error?: string | null }): void {
  const main = html`<main id="main" class="bare" tabindex="-1">
<h1>${opts.title}</h1>
${opts.error ? html`<p class="flash error" role="alert">${opts.error}</p>` : html``}
${opts.body}
</main>`;
  res.status(opts.status ?? 200).type('html').send(shell(opts.title, main).value);
}

/** The hidden CSRF field every form carries. */
export function csrfField(staff: StaffContext): Html {
  return html`<input type="hidden" name="_csrf" value="${staff.csrfToken}">`;
}
