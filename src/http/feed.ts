/**
 * The public website feed of CCHC posts (Trang thông tin điện tử): posts published on the `webchat` channel.
 *   GET /tin-bai            list, newest first (HTML, Vietnamese, mobile-friendly)
 *   GET /tin-bai/:id        one post
 *   GET /tin-bai/rss.xml    RSS 2.0
 *   GET /tin-bai/atom.xml   Atom 1.0
 * Mount it at the site root: `mounts: [{ path: '/', router: feedRouter({ db }) }]`.
 */
import express, { type Request, type Router } from 'express';
import type { Db } from '../db/client.js';
import { findWebsitePost, listWebsitePosts, type FeedItem } from '../domain/content/feed.repo.js';
import { escapeHtml, markdownToText, renderMarkdown } from '../domain/content/markdown.js';
import { topicLabel } from '../domain/content/topics.js';
import { formatVietnam } from '../domain/scheduler/vn-time.js';

export interface FeedDeps {
  db: Db;
  /** config.PUBLIC_BASE_URL: absolute links in feeds; the request's host when absent. */
  baseUrl?: string;
  /** Shown as the page and feed title, e.g. "UBND xã …". */
  siteName?: string;
  /** Most posts listed. */
  limit?: number;
}

const DEFAULT_TITLE = 'Tin bài tuyên truyền cải cách hành chính';

function xml(text: string): string {
  // Control characters are not allowed in XML 1.0.
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''));
}

function summary(item: FeedItem, max = 280): string {
  const text = markdownToText(item.body).replace(/\s+/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/, '')}…`;
}

const page = (title: string, main: string, deps: FeedDeps, base: string) => `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="${escapeHtml(base)}/tin-bai/rss.xml">
<link rel="alternate" type="application/atom+xml" title="Atom" href="${escapeHtml(base)}/tin-bai/atom.xml">
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.6;color:#1a1a1a;background:#f6f7f9}
header,main{max-width:46rem;margin:0 auto;padding:1rem;overflow-wrap:anywhere}
header{border-bottom:3px solid #b30000;background:#fff}
header a{color:#b30000;text-decoration:none;font-weight:700}
article{background:#fff;border-radius:8px;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h1{font-size:1.4rem;line-height:1.3;margin:.2rem 0 .5rem}
h2{font-size:1.15rem;line-height:1.35;margin:.2rem 0 .4rem}
h2 a{color:#0b3d91;text-decoration:none}
.meta{color:#555;font-size:.9rem}
img{max-width:100%;height:auto;border-radius:6px}
a{color:#0b3d91;word-break:break-word}
.feeds{font-size:.9rem}
</style>
</head>
<body>
<header><a href="${escapeHtml(base)}/tin-bai">${escapeHtml(deps.siteName ?? DEFAULT_TITLE)}</a></header>
<main>
${main}
</main>
</body>
</html>`;

function meta(item: FeedItem): string {
  return `<p class="meta"><time datetime="${item.publishedAt.toISOString()}">${escapeHtml(formatVietnam(item.publishedAt))}</time> · ${escapeHtml(topicLabel(item.topic))}</p>`;
}

/** The website feed router (see module comment for routes). */
export function feedRouter(deps: FeedDeps): Router {
  const router = express.Router();
  const limit = deps.limit ?? 50;
  const baseOf = (req: Request) => deps.baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const title = deps.siteName ? `${DEFAULT_TITLE} – ${deps.siteName}` : DEFAULT_TITLE;

  router.get('/tin-bai', async (req, res) => {
    const base = baseOf(req);
    const items = await listWebsitePosts(deps.db, limit);
    const list = items.length
      ? items
          .map(
            (i) => `<article>
<h2><a href="${escapeHtml(base)}/tin-bai/${i.id}">${escapeHtml(i.title)}</a></h2>
${meta(i)}
<p>${escapeHtml(summary(i))}</p>
</article>`,
          )
          .join('\n')
      : '<p>Chưa có tin bài nào được đăng.</p>';
    const main = `<h1>${escapeHtml(DEFAULT_TITLE)}</h1>
<p class="feeds">Theo dõi qua <a href="${escapeHtml(base)}/tin-bai/rss.xml">RSS</a> hoặc <a href="${escapeHtml(base)}/tin-bai/atom.xml">Atom</a>.</p>
${list}`;
    res.type('text/html; charset=utf-8').send(page(title, main, deps, base));
  });

  router.get('/tin-bai/rss.xml', async (req, res) => {
    const base = baseOf(req);
    const items = await listWebsitePosts(deps.db, limit);
    const built = (items[0]?.publishedAt ?? new Date(0)).toUTCString();
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(title)}</title>
<link>${xml(base)}/tin-bai</link>
<description>${xml('Tin bài tuyên truyền cải cách hành chính, thủ tục hành chính và dịch vụ công trực tuyến.')}</description>
<language>vi</language>
<lastBuildDate>${built}</lastBuildDate>
<atom:link href="${xml(base)}/tin-bai/rss.xml" rel="self" type="application/rss+xml"/>
${items
  .map(
    (i) => `<item>
<title>${xml(i.title)}</title>
<link>${xml(base)}/tin-bai/${i.id}</link>
<guid isPermaLink="true">${xml(base)}/tin-bai/${i.id}</guid>
<pubDate>${i.publishedAt.toUTCString()}</pubDate>
<category>${xml(topicLabel(i.topic))}</category>
<description>${xml(renderMarkdown(i.body))}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`;
    res.type('application/rss+xml; charset=utf-8').send(body);
  });

  router.get('/tin-bai/atom.xml', async (req, res) => {
    const base = baseOf(req);
    const items = await listWebsitePosts(deps.db, limit);
    const updated = (items[0]?.publishedAt ?? new Date(0)).toISOString();
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">
<title>${xml(title)}</title>
<id>${xml(base)}/tin-bai</id>
<updated>${updated}</updated>
<link rel="self" type="application/atom+xml" href="${xml(base)}/tin-bai/atom.xml"/>
<link rel="alternate" type="text/html" href="${xml(base)}/tin-bai"/>
<author><name>${xml(deps.siteName ?? 'Ủy ban nhân dân xã')}</name></author>
${items
  .map(
    (i) => `<entry>
<title>${xml(i.title)}</title>
<id>${xml(base)}/tin-bai/${i.id}</id>
<link rel="alternate" type="text/html" href="${xml(base)}/tin-bai/${i.id}"/>
<published>${i.publishedAt.toISOString()}</published>
<updated>${i.publishedAt.toISOString()}</updated>
<category term="${xml(i.topic)}" label="${xml(topicLabel(i.topic))}"/>
<summary>${xml(summary(i))}</summary>
<content type="html">${xml(renderMarkdown(i.body))}</content>
</entry>`,
  )
  .join('\n')}
</feed>
`;
    res.type('application/atom+xml; charset=utf-8').send(body);
  });

  router.get('/tin-bai/:id', async (req, res) => {
    const base = baseOf(req);
    const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : null;
    const item = id === null ? null : await findWebsitePost(deps.db, id);
    if (!item) {
      res.status(404).type('text/html; charset=utf-8').send(page('Không tìm thấy tin bài', `<h1>Không tìm thấy tin bài</h1><p>Tin bài này không có hoặc chưa được đăng. <a href="${escapeHtml(base)}/tin-bai">Xem các tin bài khác</a>.</p>`, deps, base));
      return;
    }
    const image = item.imageUrl ? `<p><img src="${escapeHtml(item.imageUrl)}" alt=""></p>` : '';
    const link = item.link ? `<p>Xem thêm: <a href="${escapeHtml(item.link)}" rel="noopener">${escapeHtml(item.link)}</a></p>` : '';
    const main = `<article>
<h1>${escapeHtml(item.title)}</h1>
${meta(item)}
${image}
${renderMarkdown(item.body)}
${link}
</article>
<p><a href="${escapeHtml(base)}/tin-bai">← Tất cả tin bài</a></p>`;
    res.type('text/html; charset=utf-8').send(page(`${item.title} – ${deps.siteName ?? DEFAULT_TITLE}`, main, deps, base));
  });

  return router;
}
