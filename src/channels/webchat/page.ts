/**
 * The chat page (/chat) and its static files. No front-end build: chat.js, chat.css and widget.js are plain files
 * in ./assets. The page carries no inline script or style, so the app's CSP (script-src 'self') holds; the page's
 * own CSP differs only in `frame-ancestors`, so the commune website can show it in the widget's iframe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Response } from 'express';

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

const assetTypes: Record<string, string> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
  'widget.js': 'text/javascript; charset=utf-8',
};

/** The served static files, read once at start (they are small). */
export function loadAssets(): Map<string, { body: Buffer; type: string }> {
  const map = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of Object.entries(assetTypes)) map.set(name, { body: fs.readFileSync(path.join(assetsDir, name)), type });
  return map;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Content-Security-Policy of the chat page: same-origin everything, embeddable by the allowed websites. */
export function chatPageCsp(embedOrigins: readonly string[]): string {
  const ancestors = embedOrigins.length === 0 ? '*' : ["'self'", ...embedOrigins].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** Headers that let the commune website embed the page (helmet's defaults forbid framing). */
export function allowEmbedding(res: Response, embedOrigins: readonly string[]): void {
  res.removeHeader('X-Frame-Options');
  res.setHeader('Content-Security-Policy', chatPageCsp(embedOrigins));
}

export interface ChatPageOptions {
  communeName: string | null;
  /** Where the router is mounted, e.g. "/chat". */
  base: string;
  /** Inside the website widget's iframe. */
  embedded: boolean;
}

/** The chat page's HTML. Everything dynamic is escaped; messages are added by chat.js with textContent. */
export function renderChatPage({ communeName, base, embedded }: ChatPageOptions): string {
  const title = 'Hỏi đáp thủ tục hành chính';
  const name = communeName?.normalize('NFC').trim() || null;
  const b = escapeHtml(base);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${escapeHtml(name ? `${title} – ${name}` : title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${b}/chat.css">
<script src="${b}/chat.js" defer></script>
</head>
<body class="${embedded ? 'embedded' : 'standalone'}">
<div class="chat">
<header class="chat-header">
<div class="chat-avatar" aria-hidden="true">${escapeHtml(initials(name))}</div>
<div class="chat-heading">
<h1 class="chat-title">${escapeHtml(name ?? title)}</h1>
<p class="chat-subtitle">${escapeHtml(name ? title : 'Trợ lý trả lời tự động')}</p>
</div>
</header>
<main id="chat-log" class="chat-log" role="log" aria-live="polite" aria-label="Cuộc trò chuyện"></main>
<p id="chat-status" class="chat-status" role="status" hidden></p>
<form id="chat-form" class="chat-form" autocomplete="off">
<label class="visually-hidden" for="chat-input">Câu hỏi của bạn</label>
<textarea id="chat-input" class="chat-input" rows="1" maxlength="1000" placeholder="Nhập câu hỏi của bạn…" enterkeyhint="send"></textarea>
<button id="chat-send" class="chat-send" type="submit">Gửi</button>
</form>
<noscript><p class="chat-status">Trang hỏi đáp cần bật JavaScript trong trình duyệt.</p></noscript>
</div>
</body>
</html>
`;
}

/** Up to two initials of the commune's name for the header badge ("Xã Hòa Bình" → "HB"). */
function initials(name: string | null): string {
  if (!name) return 'TT';
  const words = name
    .replace(/^(ủy ban nhân dân|ubnd|xã|phường|thị trấn)\s+/iu, '')
    .split(/\s+/)
    .map((w) => /\p{L}/u.exec(w)?.[0])
    .filter((letter): letter is string => letter !== undefined);
  return words.slice(-2).join('').toUpperCase() || 'TT';
}
