/**
 * Lịch đăng bài: each scheduled publication's state and failure reason with retry, cancel or confirm, and the
 * recurring plans with their monthly targets, progress and next occurrences.
 */
import type { Request, Response, Router } from 'express';
import { topicLabel, topicKeys, topics } from '../../../domain/content/topics.js';
import { channelNames } from '../../../domain/messages.js';
import { cancelScheduledAudited, confirmPublishedAudited, retryScheduledAudited, savePlanAudited, setPlanActiveAudited } from '../../../domain/staff/posts-admin.js';
import { can } from '../../../domain/staff/roles.js';
import { StaffError } from '../../../domain/staff/users.js';
import { formatVnDateTime, fromVnInputValue, toVnInputValue } from '../../../domain/staff/vn-time.js';
import { listPlans, listScheduled, scheduledStateLabel, type PlanInput, type PlanView, type QueueView } from '../../../domain/scheduler/staff.repo.js';
import { allow, staffOf, type StaffContext } from '../auth.js';
import type { AdminDeps } from '../deps.js';
import { field, fieldError, idParam, invalidAttrs, refusalOf, refusalSummary, type FormRefusal } from '../form.js';
import { html } from '../html.js';
import { csrfField, renderPage } from '../layout.js';
import { outletLabels } from './posts.js';

const weekdayLabels: Record<number, string> = { 1: 'Thứ Hai', 2: 'Thứ Ba', 3: 'Thứ Tư', 4: 'Thứ Năm', 5: 'Thứ Sáu', 6: 'Thứ Bảy', 7: 'Chủ nhật' };

function multiField(req: Request, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function action(staff: StaffContext, path: string, label: string, confirm?: string, className = '') {
  return html`<form method="post" action="${path}" class="inline-action"${confirm ? html` data-confirm="${confirm}"` : ''}>${csrfField(staff)}<button type="submit" class="${className}">${label}</button></form>`;
}

function scheduledItem(staff: StaffContext, s: QueueView, mayEdit: boolean) {
  const problem = ['failed', 'unconfirmed', 'missed'].includes(s.state);
  return html`<li class="item${problem ? ' urgent' : ''}">
  <p><a href="/admin/posts/${s.postId}"><strong>${s.title}</strong></a></p>
  <p class="meta">${outletLabels[s.channel] ?? s.channel} · <span class="sched sched-${s.state}">${scheduledStateLabel(s.state)}</span> · ${s.state === 'published' ? `đăng lúc ${formatVnDateTime(s.publishedAt)}` : `hẹn ${formatVnDateTime(s.dueAt)}`}${s.planId ? ' · theo kế hoạch' : ''}${s.held ? ' · đang tạm giữ vì kênh lỗi' : ''}</p>
  ${s.lastError ? html`<p class="error-text">Lý do: ${s.lastError}</p>` : ''}
  ${mayEdit ? html`<div class="actions-inline">
    ${['failed', 'missed', 'unconfirmed'].includes(s.state) ? action(staff, `/admin/schedule/${s.id}/retry`, 'Đăng lại', s.state === 'unconfirmed' ? 'Hãy kiểm tra trên kênh trước: nếu bài đã lên, bấm “Đã thấy bài trên kênh” thay vì đăng lại. Vẫn đăng lại?' : undefined, 'primary') : ''}
    ${s.state === 'unconfirmed' ? action(staff, `/admin/schedule/${s.id}/confirm`, 'Đã thấy bài trên kênh') : ''}
    ${['draft', 'queued'].includes(s.state) ? action(staff, `/admin/schedule/${s.id}/cancel`, 'Hủy', 'Hủy lượt đăng này?', 'danger') : ''}
  </div>` : ''}
</li>`;
}

interface PlanFormValues {
  name: string; weekdays: number[]; times: string; topics: string[]; channels: string[]; startAt: string; endAt: string; maxCount: string; targetPerMonth: string;
}

function planValues(p: PlanView): PlanFormValues {
  return {
    name: p.name, weekdays: [...p.schedule.weekdays], times: p.schedule.times.join(', '), topics: p.topics, channels: p.channels,
    startAt: toVnInputValue(p.schedule.startAt).slice(0, 10), endAt: p.schedule.endAt ? toVnInputValue(p.schedule.endAt).slice(0, 10) : '',
    maxCount: p.maxCount ? String(p.maxCount) : '', targetPerMonth: p.targetPerMonth ? String(p.targetPerMonth) : '',
  };
}

function planForm(staff: StaffContext, v: PlanFormValues, id: number | null, publishable?: readonly string[], refusal: FormRefusal | null = null) {
  const sfx = id ?? 'new';
  const err = (name: string) => fieldError(refusal, name);
  const bad = (name: string) => invalidAttrs(refusal, name);
  return html`<form method="post" action="${id ? `/admin/schedule/plans/${id}` : '/admin/schedule/plans'}" class="fields">
${csrfField(staff)}
<label for="pl-name-${sfx}">Tên kế hoạch</label><input id="pl-name-${sfx}" name="name" required maxlength="100" value="${v.name}"${bad('name')}>${err('name')}
<fieldset class="checks"><legend>Ngày trong tuần</legend>${[1, 2, 3, 4, 5, 6, 7].map((d) => html`<label class="check"><input type="checkbox" name="weekdays" value="${d}"${v.weekdays.includes(d) ? html` checked` : ''}> ${weekdayLabels[d]}</label>`)}</fieldset>${err('weekdays')}
<label for="pl-times-${sfx}">Giờ đăng (giờ Việt Nam, cách nhau bằng dấu phẩy)</label><input id="pl-times-${sfx}" name="times" required value="${v.times}" placeholder="08:00, 15:30"${bad('times')}>${err('times')}
<fieldset class="checks"><legend>Chủ đề (luân phiên; để trống: mọi chủ đề)</legend>${topicKeys.map((k) => html`<label class="check"><input type="checkbox" name="topics" value="${k}"${v.topics.includes(k) ? html` checked` : ''}> ${topics[k]}</label>`)}</fieldset>${err('topics')}
<fieldset class="checks"><legend>Kênh đăng</legend>${channelNames.map((c) => {
  const off = publishable !== undefined && !publishable.includes(c) && !v.channels.includes(c);
  return html`<label class="check"><input type="checkbox" name="channels" value="${c}"${v.channels.includes(c) ? html` checked` : ''}${off ? html` disabled` : ''}> ${outletLabels[c] ?? c}${off ? html` <span class="meta">(chưa cấu hình trên máy chủ)</span>` : ''}</label>`;
})}</fieldset>${err('channels')}
<div class="row"><div class="f"><label for="pl-start-${sfx}">Bắt đầu từ ngày</label><input id="pl-start-${sfx}" name="startAt" type="date" required value="${v.startAt}"${bad('startAt')}>${err('startAt')}</div>
<div class="f"><label for="pl-end-${sfx}">Kết thúc ngày (không bắt buộc)</label><input id="pl-end-${sfx}" name="endAt" type="date" value="${v.endAt}"${bad('endAt')}>${err('endAt')}</div></div>
<div class="row"><div class="f"><label for="pl-target-${sfx}">Chỉ tiêu số bài mỗi tháng</label><input id="pl-target-${sfx}" name="targetPerMonth" type="number" min="1" value="${v.targetPerMonth}"${bad('targetPerMonth')}>${err('targetPerMonth')}</div>
<div class="f"><label for="pl-max-${sfx}">Số lần đăng tối đa (không bắt buộc)</label><input id="pl-max-${sfx}" name="maxCount" type="number" min="1" value="${v.maxCount}"${bad('maxCount')}>${err('maxCount')}</div></div>
<button type="submit" class="primary">${id ? 'Lưu kế hoạch' : 'Tạo kế hoạch'}</button>
</form>`;
}

function planCard(staff: StaffContext, p: PlanView, mayEdit: boolean, publishable?: readonly string[], draft?: PlanDraft) {
  const mine = draft?.id === p.id ? draft : undefined;
  const pr = p.progress;
  return html`<li class="item">
  <p><strong>${p.name}</strong> ${p.active ? html`<span class="pill good">Đang chạy</span>` : html`<span class="pill off">Tạm dừng / đã kết thúc</span>`}</p>
  <p class="meta">${p.schedule.weekdays.map((d) => weekdayLabels[d]).join(', ')} lúc ${p.schedule.times.join(', ')} · ${p.channels.map((c) => outletLabels[c] ?? c).join(', ')}</p>
  <p class="meta">Chủ đề: ${p.topics.length ? p.topics.map(topicLabel).join('; ') : 'mọi chủ đề'} · Đã đăng ${p.occurrences} lượt${p.missedCount ? ` · bỏ lỡ ${p.missedCount}` : ''}</p>
  ${pr ? html`<div class="progress"><label for="prog-${p.id}">Tháng ${pr.month.slice(5)}/${pr.month.slice(0, 4)}: ${pr.done}/${pr.target} bài${pr.onTrack ? ' (đúng tiến độ)' : ` (chậm: lẽ ra ${pr.expectedByNow} bài đến hôm nay)`}</label>
    <progress id="prog-${p.id}" max="${pr.target}" value="${Math.min(pr.done, pr.target)}">${pr.done}/${pr.target}</progress></div>` : ''}
  ${p.upcoming.length ? html`<p class="meta">Lượt tới: ${p.upcoming.map((d) => formatVnDateTime(d)).join(' · ')}</p>` : ''}
  ${p.lastNote ? html`<p class="error-text">${p.lastNote}</p>` : ''}
  ${mayEdit ? html`<div class="actions-inline">${action(staff, `/admin/schedule/plans/${p.id}/${p.active ? 'pause' : 'resume'}`, p.active ? 'Tạm dừng' : 'Chạy lại')}</div>
  <details${mine ? html` open` : ''}><summary>Sửa kế hoạch</summary>${planForm(staff, mine?.values ?? planValues(p), p.id, publishable, mine?.refusal)}</details>` : ''}
</li>`;
}

function planInput(req: Request, publishable: readonly string[] | undefined): PlanInput {
  const date = (name: string) => {
    const v = field(req, name).trim();
    if (!v) return null;
    const d = fromVnInputValue(`${v}T00:00`);
    if (!d) throw new StaffError('Ngày không hợp lệ; hãy chọn lại ngày.', { [name]: 'Ngày không hợp lệ; hãy chọn lại ngày.' });
    return d;
  };
  const int = (name: string) => (field(req, name).trim() ? Number(field(req, name)) : null);
  const startAt = date('startAt');
  if (!startAt) throw new StaffError('Hãy chọn ngày bắt đầu.', { startAt: 'Hãy chọn ngày bắt đầu.' });
  return {
    name: field(req, 'name'),
    weekdays: multiField(req, 'weekdays').map(Number),
    times: field(req, 'times').split(/[,;\s]+/).filter(Boolean),
    topics: multiField(req, 'topics'),
    channels: multiField(req, 'channels'),
    startAt,
    endAt: date('endAt'),
    maxCount: int('maxCount'),
    targetPerMonth: int('targetPerMonth'),
    publishable,
  };
}

/** A new plan's form: nothing ticked or filled that the staff member did not choose (only today as start date). */
function emptyPlan(now: Date): PlanFormValues {
  return { name: '', weekdays: [], times: '', topics: [], channels: [], startAt: toVnInputValue(now).slice(0, 10), endAt: '', maxCount: '', targetPerMonth: '' };
}

/** A plan form sent back: the plan's id (null: the new-plan form), what was typed, and what to fix. */
interface PlanDraft {
  id: number | null;
  values: PlanFormValues;
  refusal: FormRefusal;
}

/** The schedule page; with a draft, the refused plan form is open, filled with what was typed, errors beside fields. */
async function renderSchedule(res: Response, staff: StaffContext, deps: AdminDeps, draft?: PlanDraft): Promise<void> {
    const now = new Date();
    const [problems, upcoming, published, plans] = await Promise.all([
      listScheduled(deps.db, { states: ['failed', 'unconfirmed', 'missed'] }),
      listScheduled(deps.db, { states: ['draft', 'queued', 'publishing'] }),
      listScheduled(deps.db, { states: ['published'], limit: 1000 }),
      listPlans(deps.db, now),
    ]);
    const mayEdit = can(staff.user.role, 'content.edit');
    const recent = published.slice(-20).reverse();
    renderPage(res, staff, {
      title: 'Lịch đăng bài',
      ...(draft ? { status: 400, error: refusalSummary(draft.refusal) } : {}),
      active: 'schedule',
      body: html`${problems.length ? html`<section><h2>Cần xử lý (${problems.length})</h2><ul class="list">${problems.map((s) => scheduledItem(staff, s, mayEdit))}</ul></section>` : ''}
<section><h2>Sắp đăng (${upcoming.length})</h2>
${upcoming.length ? html`<ul class="list">${upcoming.map((s) => scheduledItem(staff, s, mayEdit))}</ul>` : html`<p class="empty">Chưa có bài nào chờ đăng. Chọn một bài trong <a href="/admin/posts">Thư viện nội dung</a> để đưa vào lịch.</p>`}</section>
<section><h2>Kế hoạch đăng định kỳ</h2>
${plans.length ? html`<ul class="list">${plans.map((p) => planCard(staff, p, mayEdit, deps.publishChannels, draft))}</ul>` : html`<p class="empty">Chưa có kế hoạch định kỳ.</p>`}
${mayEdit ? html`<details class="card"${draft?.id === null ? html` open` : ''}><summary>Tạo kế hoạch mới</summary>${planForm(staff, draft?.id === null ? draft.values : emptyPlan(now), null, deps.publishChannels, draft?.id === null ? draft.refusal : null)}</details>` : ''}</section>
<section><h2>Đã đăng gần đây</h2>
${recent.length ? html`<ul class="list">${recent.map((s) => scheduledItem(staff, s, false))}</ul>` : html`<p class="empty">Chưa có bài nào được đăng.</p>`}</section>
<p class="hint">Giờ hiển thị theo giờ Việt Nam. Hệ thống kiểm tra lịch mỗi 30 giây; bài lỗi vì mất kết nối được thử lại tự động, bài “chưa xác nhận” cần cán bộ kiểm tra trên kênh.</p>`,
    });
}

/** What the staff member typed into a plan form, kept as typed. */
function typedPlanValues(req: Request): PlanFormValues {
  return {
    name: field(req, 'name'), weekdays: multiField(req, 'weekdays').map(Number).filter((d) => d >= 1 && d <= 7), times: field(req, 'times'),
    topics: multiField(req, 'topics'), channels: multiField(req, 'channels'), startAt: field(req, 'startAt'), endAt: field(req, 'endAt'),
    maxCount: field(req, 'maxCount'), targetPerMonth: field(req, 'targetPerMonth'),
  };
}

/** Saves a plan, or re-renders the schedule page with the form as typed and the error beside its field. */
async function savePlanForm(req: Request, res: Response, deps: AdminDeps, id: number | null): Promise<boolean> {
  const staff = staffOf(res);
  try {
    await savePlanAudited(deps.db, id, planInput(req, deps.publishChannels), new Date(), staff.user.username);
    return true;
  } catch (e) {
    const refusal = refusalOf(e);
    if (!refusal) throw e;
    await renderSchedule(res, staff, deps, { id, values: typedPlanValues(req), refusal });
    return false;
  }
}

export function scheduleRoutes(router: Router, deps: AdminDeps): void {
  router.get('/schedule', async (_req, res) => {
    await renderSchedule(res, staffOf(res), deps);
  });

  router.post('/schedule/:id/cancel', allow('content.edit'), async (req, res) => {
    await cancelScheduledAudited(deps.db, idParam(req), staffOf(res).user.username);
    res.redirect(303, '/admin/schedule?ok=cancelled');
  });
  router.post('/schedule/:id/retry', allow('content.edit'), async (req, res) => {
    await retryScheduledAudited(deps.db, idParam(req), new Date(), staffOf(res).user.username);
    res.redirect(303, '/admin/schedule?ok=retried');
  });
  router.post('/schedule/:id/confirm', allow('content.edit'), async (req, res) => {
    await confirmPublishedAudited(deps.db, idParam(req), new Date(), staffOf(res).user.username);
    res.redirect(303, '/admin/schedule?ok=saved');
  });
  router.post('/schedule/plans', allow('content.edit'), async (req, res) => {
    if (await savePlanForm(req, res, deps, null)) res.redirect(303, '/admin/schedule?ok=created');
  });
  router.post('/schedule/plans/:id', allow('content.edit'), async (req, res) => {
    if (await savePlanForm(req, res, deps, idParam(req))) res.redirect(303, '/admin/schedule?ok=saved');
  });
  router.post('/schedule/plans/:id/:toggle', allow('content.edit'), async (req, res) => {
    const toggle = String(req.params.toggle);
    if (toggle !== 'pause' && toggle !== 'resume') throw new StaffError('Thao tác không hợp lệ.');
    await setPlanActiveAudited(deps.db, idParam(req), toggle === 'resume', new Date(), staffOf(res).user.username);
    res.redirect(303, '/admin/schedule?ok=saved');
  });
}

