/** Thư viện nội dung: the outreach posts, writing a post, and queuing one on channels at a time. */
import type { Request, Router } from 'express';
import { topicLabel, topicKeys, topics } from '../../../domain/content/topics.js';
import { channelNames } from '../../../domain/messages.js';
import { getPost, listPosts, queuePostAudited, savePostAudited, type PostDetail } from '../../../domain/staff/posts-admin.js';
import { can } from '../../../domain/staff/roles.js';
import { StaffError } from '../../../domain/staff/users.js';
import { formatVnDateTime, fromVnInputValue, toVnInputValue } from '../../../domain/staff/vn-time.js';
import { scheduledStateLabel } from '../../../domain/scheduler/staff.repo.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { HttpError } from '../../errors.js';
import { checkbox, field, fieldError, idParam, invalidAttrs, query, refusalOf, refusalSummary, type FormRefusal } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';

/** Where a post goes, as staff name the outlets. */
export const outletLabels: Record<string, string> = {
  messenger: 'Fanpage Facebook',
  zalo: 'Zalo OA',
  telegram: 'Kênh Telegram',
  webchat: 'Trang thông tin điện tử',
};

function multiField(req: Request, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

interface PostFormValues {
  slug: string; title: string; topic: string; tags: string; body: string; imageUrl: string; link: string;
  channels: string[]; notBefore: string; notAfter: string;
}

function valuesOf(p: PostDetail): PostFormValues {
  const day = (d: Date | null) => (d ? toVnInputValue(d).slice(0, 10) : '');
  return {
    slug: p.slug, title: p.title, topic: p.topic, tags: p.tags.join(', '), body: p.body, imageUrl: p.imageUrl ?? '', link: p.link ?? '',
    channels: p.channels, notBefore: day(p.notBefore), notAfter: day(p.notAfter),
  };
}

/** Channel checkboxes; channels outside `usable` (not configured here) are shown greyed out with the reason. */
function channelBoxes(name: string, checked: readonly string[], idPrefix: string, offered: readonly string[] = channelNames, usable?: readonly string[]) {
  return html`<fieldset class="checks"><legend>Kênh đăng</legend>
${offered.map((c) => {
  const off = usable !== undefined && !usable.includes(c);
  return html`<label class="check"><input type="checkbox" name="${name}" value="${c}" id="${idPrefix}-${c}"${checked.includes(c) && !off ? html` checked` : ''}${off ? html` disabled` : ''}> ${outletLabels[c] ?? c}${off ? html` <span class="meta">(chưa cấu hình trên máy chủ, không đăng được)</span>` : ''}</label>`;
})}
</fieldset>`;
}

function postForm(staff: StaffContext, v: PostFormValues, existingId: number | null) {
  return html`<form method="post" action="${existingId ? `/admin/posts/${existingId}` : '/admin/posts'}" class="card fields">
${csrfField(staff)}
<label for="p-title">Tiêu đề</label><input id="p-title" name="title" required maxlength="200" value="${v.title}">
${existingId ? html`<input type="hidden" name="slug" value="${v.slug}">` : html`<label for="p-slug">Tên tệp (chữ thường không dấu, nối bằng gạch ngang)</label>
<input id="p-slug" name="slug" required pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${v.slug}" placeholder="vi-du-dich-vu-cong-truc-tuyen" autocapitalize="none" spellcheck="false">`}
<label for="p-topic">Chủ đề tuyên truyền</label>
<select id="p-topic" name="topic">${topicKeys.map((k) => html`<option value="${k}"${k === v.topic ? html` selected` : ''}>${topics[k]}</option>`)}</select>
<label for="p-body">Nội dung</label>
<textarea id="p-body" name="body" rows="10" required aria-describedby="p-body-hint">${v.body}</textarea>
<p class="hint" id="p-body-hint">Viết như văn bản thường; dòng trống để tách đoạn, **chữ đậm**, [chữ](https://liên-kết).</p>
${channelBoxes('channels', v.channels, 'p-ch')}
<label for="p-tags">Từ khoá (cách nhau bằng dấu phẩy)</label><input id="p-tags" name="tags" value="${v.tags}">
<label for="p-image">Ảnh minh hoạ (đường dẫn https://, không bắt buộc)</label><input id="p-image" name="imageUrl" value="${v.imageUrl}">
<label for="p-link">Liên kết đọc thêm (không bắt buộc)</label><input id="p-link" name="link" value="${v.link}">
<div class="row"><div class="f"><label for="p-from">Đăng từ ngày</label><input id="p-from" name="notBefore" type="date" value="${v.notBefore}"></div>
<div class="f"><label for="p-to">Đăng đến ngày</label><input id="p-to" name="notAfter" type="date" value="${v.notAfter}"></div></div>
<button type="submit" class="primary">${existingId ? 'Lưu bài' : 'Thêm vào thư viện'}</button>
</form>`;
}

function formInput(req: Request): PostFormValues {
  return {
    slug: field(req, 'slug').trim(), title: field(req, 'title'), topic: field(req, 'topic'), tags: field(req, 'tags'), body: field(req, 'body'),
    imageUrl: field(req, 'imageUrl').trim(), link: field(req, 'link').trim(), channels: multiField(req, 'channels'),
    notBefore: field(req, 'notBefore'), notAfter: field(req, 'notAfter'),
  };
}

/** A queue form sent back: what was chosen, and what to fix. */
interface QueueDraft {
  channels: string[];
  at: string;
  repeat: boolean;
  refusal: FormRefusal;
}

function queueForm(staff: StaffContext, post: PostDetail, publishable: readonly string[] | undefined, draft?: QueueDraft) {
  const inAnHour = new Date(Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000);
  const refusal = draft?.refusal ?? null;
  return html`<form method="post" action="/admin/posts/${post.id}/queue" class="card fields" id="queue">
<h2>Đưa vào lịch đăng</h2>
${csrfField(staff)}
${channelBoxes('channels', draft?.channels ?? post.channels, 'q-ch', post.channels, publishable)}${fieldError(refusal, 'channels')}
<label for="q-at">Thời điểm đăng (giờ Việt Nam)</label>
<input id="q-at" name="at" type="datetime-local" required value="${draft?.at ?? toVnInputValue(inAnHour)}"${invalidAttrs(refusal, 'at')}>${fieldError(refusal, 'at')}
<label class="check"><input type="checkbox" name="repeat"${draft?.repeat ? html` checked` : ''}> Đăng lại cả trên kênh đã đăng bài này</label>
<button type="submit" class="primary">Đưa vào lịch đăng</button>
</form>`;
}

function problemsList(problems: { field: string; reason: string }[]) {
  return html`<ul class="errors">${problems.map((p) => html`<li>${p.reason}</li>`)}</ul>`;
}

const emptyPost: PostFormValues = { slug: '', title: '', topic: 'tthc', tags: '', body: '', imageUrl: '', link: '', channels: ['messenger', 'zalo', 'telegram', 'webchat'], notBefore: '', notAfter: '' };

export function postRoutes(router: Router, deps: AdminDeps): void {
  router.get('/posts', async (req, res) => {
    const staff = staffOf(res);
    const topic = topicKeys.includes(query(req, 'topic') as never) ? query(req, 'topic') : '';
    const posts = await listPosts(deps.db, { topic: topic || undefined });
    renderPage(res, staff, {
      title: 'Thư viện nội dung',
      active: 'posts',
      body: html`<form method="get" action="/admin/posts" class="row search">
  <div class="f"><label for="topic">Chủ đề</label>
  <select id="topic" name="topic"><option value="">Tất cả chủ đề</option>${topicKeys.map((k) => html`<option value="${k}"${k === topic ? html` selected` : ''}>${topics[k]}</option>`)}</select></div>
  <button type="submit">Lọc</button>
</form>
${can(staff.user.role, 'content.edit') ? html`<div class="toolbar"><a class="button" href="/admin/posts/new">Viết bài mới</a></div>` : ''}
<p class="meta">${posts.length} bài</p>
<ul class="list">
${posts.map((p) => html`<li class="item"><a href="/admin/posts/${p.id}"><strong>${p.title}</strong></a>${p.archived ? html` <span class="pill off">Đã lưu trữ</span>` : ''}
  <p class="meta">${topicLabel(p.topic)} · ${p.channels.map((c) => outletLabels[c] ?? c).join(', ')} · ${p.origin === 'admin' ? 'viết trên trang quản trị' : 'tệp thư viện'}</p>
  ${Object.keys(p.states).length ? html`<p class="meta">${Object.entries(p.states).map(([s, n]) => `${scheduledStateLabel(s)}: ${n}`).join(' · ')}</p>` : ''}</li>`)}
</ul>`,
    });
  });

  router.get('/posts/new', allow('content.edit'), (_req, res) => {
    const staff = staffOf(res);
    renderPage(res, staff, { title: 'Viết bài mới', active: 'posts', body: postForm(staff, emptyPost, null) });
  });

  const save = (existingId: number | null, takeOverFile = false) => async (req: Request, res: import('express').Response) => {
    const staff = staffOf(res);
    const v = formInput(req);
    const result = await savePostAudited(
      deps.db,
      {
        slug: v.slug, title: v.title, topic: v.topic, body: v.body, imageUrl: v.imageUrl || null, link: v.link || null, channels: v.channels,
        tags: v.tags.split(',').map((t) => t.trim()).filter(Boolean), notBefore: v.notBefore || null, notAfter: v.notAfter || null,
      },
      staff.user.username,
      { takeOverFile },
    );
    if (!result.ok) {
      return renderPage(res, staff, {
        title: existingId ? 'Sửa bài' : 'Viết bài mới',
        active: 'posts',
        status: 400,
        error: 'Bài chưa được lưu. Hãy sửa:',
        body: html`${problemsList(result.problems)}${postForm(staff, v, existingId)}`,
      });
    }
    res.redirect(303, `/admin/posts/${result.id}?ok=saved`);
  };
  router.post('/posts', allow('content.edit'), save(null));

  /** The post's page; with a draft, the refused queue form shows what was chosen and the error beside its field. */
  const renderPost = async (res: import('express').Response, staff: StaffContext, post: PostDetail, draft?: QueueDraft) => {
    const mayEdit = can(staff.user.role, 'content.edit');
    const scheduled = await deps.db.scheduledPost.findMany({ where: { postId: post.id }, orderBy: { dueAt: 'desc' }, take: 50 });
    renderPage(res, staff, {
      title: post.title,
      ...(draft ? { status: 400, error: refusalSummary(draft.refusal) } : {}),
      active: 'posts',
      body: html`<p class="meta">${topicLabel(post.topic)} · ${post.origin === 'admin' ? 'viết trên trang quản trị' : html`tệp thư viện <code>${post.sourceFile ?? post.slug}</code>`}${post.archived ? ' · đã lưu trữ' : ''}</p>
${scheduled.length ? html`<section class="card"><h2>Lịch đăng của bài</h2><ul class="plain">${scheduled.map((s) => html`<li>${outletLabels[s.channel] ?? s.channel}: ${scheduledStateLabel(s.state)} · ${formatVnDateTime(s.publishedAt ?? s.dueAt)}${s.lastError ? html` · <span class="error-text">${s.lastError}</span>` : ''}</li>`)}</ul><p><a href="/admin/schedule">Xem lịch đăng bài →</a></p></section>` : ''}
${mayEdit && !post.archived ? queueForm(staff, post, deps.publishChannels, draft) : ''}
${post.origin === 'admin' && post.sourceFile ? html`<p class="flash ok" role="note">Bài gốc từ tệp thư viện <code>${post.sourceFile}</code>, đã được sửa trên trang quản trị: từ nay tệp không còn ghi đè nội dung này.</p>` : ''}
${mayEdit ? html`<h2>Sửa bài</h2>${post.origin === 'file' ? html`<p class="hint">Bài này lấy từ tệp <code>${post.sourceFile ?? post.slug}</code> trong thư viện. Nếu lưu thay đổi tại đây, bản trên trang quản trị sẽ được dùng và tệp không còn ghi đè bài này nữa.</p>` : ''}${postForm(staff, valuesOf(post), post.id)}` : html`<section class="card"><h2>Nội dung</h2><div class="post-body">${post.body}</div></section>`}
<p><a href="/admin/posts">← Thư viện nội dung</a></p>`,
    });
  };

  router.get('/posts/:id', async (req, res) => {
    const post = await getPost(deps.db, idParam(req));
    if (!post) throw new HttpError(404, 'Không tìm thấy bài này.', 'post not found');
    await renderPost(res, staffOf(res), post);
  });

  router.post('/posts/:id', allow('content.edit'), async (req, res) => {
    const post = await getPost(deps.db, idParam(req));
    if (!post) throw new HttpError(404, 'Không tìm thấy bài này.', 'post not found');
    req.body.slug = post.slug;
    return save(post.id, post.origin === 'file')(req, res);
  });

  router.post('/posts/:id/queue', allow('content.edit'), async (req, res) => {
    const staff = staffOf(res);
    const channels = multiField(req, 'channels');
    try {
      const at = fromVnInputValue(field(req, 'at'));
      if (!at) throw new StaffError('Vui lòng chọn ngày và giờ đăng.', { at: 'Vui lòng chọn ngày và giờ đăng.' });
      if (channels.length === 0) throw new StaffError('Hãy chọn ít nhất một kênh đăng.', { channels: 'Hãy chọn ít nhất một kênh đăng.' });
      await queuePostAudited(deps.db, { post: idParam(req), channels, at, now: new Date(), repeat: checkbox(req, 'repeat'), graceMinutes: deps.graceMinutes, publishable: deps.publishChannels }, staff.user.username);
    } catch (e) {
      const refusal = refusalOf(e);
      const post = refusal ? await getPost(deps.db, idParam(req)) : null;
      if (!refusal || !post) throw e;
      return renderPost(res, staff, post, { channels, at: field(req, 'at'), repeat: checkbox(req, 'repeat'), refusal });
    }
    res.redirect(303, '/admin/schedule?ok=queued_post');
  });
}
