/**
 * The guided exchange that files phản ánh, kiến nghị from any channel, and the lookup of an item by its code.
 * Its state lives in the conversation context under `feedback`; filing and lookups go through {@link FeedbackPort},
 * so the flow itself has no database.
 *
 * Steps: subject (a procedure, an officer's conduct, a regulation) → [which procedure] → content → phone with explicit
 * consent → consent to publish the answer without personal data → tracking code.
 */
import type { FeedbackStatus, FiledFeedback } from '../feedback/feedback.repo.js';
import { feedbackStateLabels, feedbackSubjectLabels, isFeedbackSubject, normalisePhone, parseFeedbackCode, type FeedbackSubject } from '../feedback/feedback.js';
import type { Choice, InboundMessage, Reply } from '../messages.js';
import { formatVnDate } from '../staff/vn-time.js';
import { foldText } from '../text/normalize.js';
import type { Knowledge } from './engine.js';
import { decide } from './engine.js';
import { feedbackMenuChoice } from './replies.js';
import { soundsLikeComplaint, type FeedbackWords } from './feedback-words.js';

/** What the flow needs from outside: filing an item and reading one by code. */
export interface FeedbackPort {
  file(input: {
    message: InboundMessage;
    conversationId: number | null;
    subject: FeedbackSubject;
    procedureCode: string | null;
    procedureName: string | null;
    field: string | null;
    content: string;
    phone: string | null;
    publishConsent: boolean;
  }): Promise<FiledFeedback>;
  status(code: string, conversationId: number | null): Promise<FeedbackStatus | null>;
}

type Step = 'subject' | 'procedure' | 'content' | 'phone' | 'phone_number' | 'publish';

export interface FeedbackFlowState {
  step: Step;
  subject?: FeedbackSubject;
  procedureCode?: string;
  procedureName?: string;
  field?: string;
  content?: string;
  /** The complaint that started the exchange, offered as the content. */
  suggested?: string;
  phone?: string;
  /** Procedure codes offered at the procedure step. */
  offered?: string[];
}

export interface FeedbackTurn {
  replies: Reply[];
  /** The new flow state; undefined when the exchange ended (filed or cancelled). */
  state: FeedbackFlowState | undefined;
  outcome: 'feedback' | 'feedback_filed' | 'feedback_status';
  procedureCode?: string;
  field?: string;
}

export const minContentLength = 10;
export const maxContentLength = 2000;
/** A complaint this long is offered as the item's content. */
const minSuggestedWords = 6;
const steps: readonly Step[] = ['subject', 'procedure', 'content', 'phone', 'phone_number', 'publish'];

/** Reads the stored flow state; anything unreadable is no flow. */
export function readFeedbackState(raw: unknown): FeedbackFlowState | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.step !== 'string' || !(steps as readonly string[]).includes(r.step)) return undefined;
  const s: FeedbackFlowState = { step: r.step as Step };
  if (typeof r.subject === 'string' && isFeedbackSubject(r.subject)) s.subject = r.subject;
  for (const k of ['procedureCode', 'procedureName', 'field', 'content', 'suggested', 'phone'] as const) if (typeof r[k] === 'string') s[k] = r[k];
  if (Array.isArray(r.offered)) s.offered = r.offered.filter((c): c is string => typeof c === 'string').slice(0, 5);
  return s;
}

const P = {
  start: feedbackMenuChoice.payload,
  subject: (s: FeedbackSubject) => `fb:subj:${s}`,
  procedure: (code: string) => `fb:proc:${code}`,
  noProcedure: 'fb:proc:-',
  useSuggested: 'fb:same',
  phoneYes: 'fb:phone:yes',
  phoneNo: 'fb:phone:no',
  publishYes: 'fb:pub:yes',
  publishNo: 'fb:pub:no',
  cancel: 'fb:cancel',
} as const;

const cancelChoice: Choice = { title: 'Hủy', payload: P.cancel };

const subjectTitles: Record<FeedbackSubject, string> = { procedure: 'Thủ tục hành chính', conduct: 'Thái độ cán bộ', regulation: 'Quy định hành chính' };

function ask(text: string, choices: Choice[]): Reply {
  return choices.length > 0 ? { kind: 'choices', text, choices } : { kind: 'text', text };
}

/** The pressed button's payload, or the payload of the offered choice whose title the citizen typed (Zalo, restarts). */
function pressed(message: InboundMessage, offered: Choice[]): string | undefined {
  if (message.kind === 'choice' && message.payload) return message.payload;
  const typed = foldText(message.text);
  if (typed === '') return undefined;
  return offered.find((c) => foldText(c.title) === typed)?.payload;
}

function subjectChoices(): Choice[] {
  return [...(Object.keys(subjectTitles) as FeedbackSubject[]).map((s) => ({ title: subjectTitles[s], payload: P.subject(s) })), cancelChoice];
}

function subjectStep(): Reply {
  return ask(
    'Bạn muốn gửi phản ánh, kiến nghị về nội dung nào? Phản ánh được chuyển đến cán bộ có trách nhiệm và trả lời qua kênh này.',
    subjectChoices(),
  );
}

function procedureChoices(state: FeedbackFlowState, knowledge: Knowledge): Choice[] {
  const offered = (state.offered ?? []).flatMap((code) => {
    const p = knowledge.index.byCode(code);
    return p ? [{ title: p.name, payload: P.procedure(p.code) }] : [];
  });
  return [...offered, { title: 'Không rõ thủ tục', payload: P.noProcedure }, cancelChoice];
}

function contentChoices(state: FeedbackFlowState): Choice[] {
  return [...(state.suggested ? [{ title: 'Dùng tin vừa gửi', payload: P.useSuggested }] : []), cancelChoice];
}

function contentStep(state: FeedbackFlowState): Reply {
  const about = state.procedureName ? ` về thủ tục «${state.procedureName}»` : state.subject ? ` về ${feedbackSubjectLabels[state.subject].toLowerCase()}` : '';
  const hint = state.suggested ? ' Hoặc bấm «Dùng tin vừa gửi» để gửi đúng nội dung bạn vừa nhắn.' : '';
  return ask(`Mời bạn nhập nội dung phản ánh, kiến nghị${about}: sự việc, thời gian, địa điểm (không cần ghi họ tên).${hint}`, contentChoices(state));
}

const phoneChoices: Choice[] = [
  { title: 'Đồng ý để lại số', payload: P.phoneYes },
  { title: 'Không để lại số', payload: P.phoneNo },
];

function phoneStep(): Reply {
  return ask(
    'Bạn có muốn để lại số điện thoại để cán bộ liên hệ khi cần làm rõ không? Số điện thoại chỉ dùng để liên hệ về phản ánh này, ' +
      'được bảo vệ theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân, và bạn có thể yêu cầu xoá bất cứ lúc nào.',
    phoneChoices,
  );
}

const publishChoices: Choice[] = [
  { title: 'Đồng ý công khai', payload: P.publishYes },
  { title: 'Không công khai', payload: P.publishNo },
];

function publishStep(): Reply {
  return ask(
    'Bạn có đồng ý để UBND xã đăng nội dung phản ánh và câu trả lời lên Trang thông tin điện tử của xã không? ' +
      'Khi đăng, mọi thông tin cá nhân (số điện thoại, tên, địa chỉ) đều được lược bỏ.',
    publishChoices,
  );
}

function turn(replies: Reply[], state: FeedbackFlowState | undefined, outcome: FeedbackTurn['outcome'] = 'feedback'): FeedbackTurn {
  return { replies, state, outcome };
}

function statusReply(status: FeedbackStatus | null, code: string): Reply {
  if (!status) {
    return { kind: 'text', text: `Không tìm thấy phản ánh, kiến nghị có mã ${code}. Bạn vui lòng kiểm tra lại mã (dạng PA-2026-000123).` };
  }
  const lines = [`Phản ánh, kiến nghị ${status.code} (tiếp nhận ngày ${formatVnDate(status.receivedAt)}): ${feedbackStateLabels[status.state].toLowerCase()}.`];
  if (status.state === 'answered') {
    lines.push(`Đã trả lời ngày ${formatVnDate(status.answeredAt)}.`);
    if (status.answer) lines.push(`Nội dung trả lời: ${status.answer}`);
  } else if (status.state === 'transferred') {
    lines.push(`Đã chuyển đến ${status.transferredTo ?? 'cơ quan có thẩm quyền'} để giải quyết.`);
  } else {
    lines.push(`Hạn trả lời: ngày ${formatVnDate(new Date(status.dueAt.getTime() - 1))}.`);
  }
  return { kind: 'text', text: lines.join('\n') };
}

export interface FeedbackTurnInput {
  message: InboundMessage;
  state: FeedbackFlowState | undefined;
  /** The procedure the conversation is about (offered at the procedure step). */
  lastProcedureCode?: string;
  conversationId: number | null;
  knowledge: Knowledge;
  words: FeedbackWords;
  port: FeedbackPort;
}

/** Handles the message when it belongs to the feedback flow or names a tracking code; null to let the engine answer. */
export async function feedbackTurn(input: FeedbackTurnInput): Promise<FeedbackTurn | null> {
  const { message, knowledge } = input;
  const state = input.state;
  const payload = message.kind === 'choice' ? message.payload : undefined;

  if (payload === P.start) return turn([subjectStep()], { step: 'subject' });
  if (payload === P.cancel && state) return turn([{ kind: 'text', text: 'Đã hủy gửi phản ánh. Bạn có thể gửi lại bất cứ lúc nào từ menu «Gửi phản ánh, kiến nghị».' }], undefined);

  // A code typed at any time (except while writing the content, which may quote one) is a status lookup.
  const code = message.kind === 'text' && state?.step !== 'content' ? parseFeedbackCode(message.text) : null;
  if (code) {
    const status = await input.port.status(code, input.conversationId);
    return turn([statusReply(status, code)], state, 'feedback_status');
  }

  if (!state) {
    if (message.kind === 'text' && soundsLikeComplaint(message.text, input.words)) {
      // "tôi muốn phản ánh" only asks to file; a longer message already tells what happened.
      const suggested = message.text.trim().split(/\s+/u).length >= minSuggestedWords ? message.text.trim().slice(0, maxContentLength) : undefined;
      return turn([subjectStep()], { step: 'subject', ...(suggested ? { suggested } : {}) });
    }
    return null;
  }
  // Another of the bot's buttons (a procedure, the menu) ends the exchange and is answered as usual.
  if (payload && !payload.startsWith('fb:')) return null;

  switch (state.step) {
    case 'subject': {
      const p = pressed(message, subjectChoices());
      const subject = p?.startsWith('fb:subj:') ? p.slice(8) : '';
      if (!isFeedbackSubject(subject)) {
        // Typed a question instead of choosing: leave the exchange and answer it.
        if (message.kind === 'text' && !soundsLikeComplaint(message.text, input.words)) return null;
        return turn([subjectStep()], state);
      }
      if (subject === 'procedure') {
        const offered = input.lastProcedureCode && knowledge.index.byCode(input.lastProcedureCode) ? [input.lastProcedureCode] : [];
        const next: FeedbackFlowState = { ...state, step: 'procedure', subject, offered };
        return turn([ask('Bạn phản ánh về thủ tục nào? Hãy gõ tên thủ tục, hoặc chọn dưới đây.', procedureChoices(next, knowledge))], next);
      }
      const next: FeedbackFlowState = { ...state, step: 'content', subject };
      return turn([contentStep(next)], next);
    }
    case 'procedure': {
      const p = pressed(message, procedureChoices(state, knowledge));
      if (p === P.noProcedure) {
        const next: FeedbackFlowState = { ...state, step: 'content', offered: undefined };
        return turn([contentStep(next)], next);
      }
      const chosen = p?.startsWith('fb:proc:') ? knowledge.index.byCode(p.slice(8)) : undefined;
      if (chosen) {
        const next: FeedbackFlowState = { ...state, step: 'content', procedureCode: chosen.code, procedureName: chosen.name, field: chosen.field, offered: undefined };
        return turn([contentStep(next)], next);
      }
      const decision = decide(knowledge.index.search(message.text, 8));
      if (decision.kind === 'confident') {
        const proc = decision.hit.procedure;
        const next: FeedbackFlowState = { ...state, step: 'content', procedureCode: proc.code, procedureName: proc.name, field: proc.field, offered: undefined };
        return turn([contentStep(next)], next);
      }
      const offered = decision.kind === 'choices' ? decision.hits.map((h) => h.procedure.code).slice(0, 3) : [];
      const next: FeedbackFlowState = { ...state, offered };
      const text = offered.length > 0 ? 'Bạn phản ánh về thủ tục nào dưới đây?' : 'Chưa tìm thấy thủ tục này trong danh mục. Bạn gõ lại tên thủ tục, hoặc chọn «Không rõ thủ tục».';
      return turn([ask(text, procedureChoices(next, knowledge))], next);
    }
    case 'content': {
      const p = pressed(message, contentChoices(state));
      const content = p === P.useSuggested && state.suggested ? state.suggested : message.kind === 'text' ? message.text.trim() : '';
      if ([...content].length < minContentLength) {
        return turn([ask(`Nội dung hơi ngắn; bạn vui lòng mô tả rõ hơn (ít nhất ${minContentLength} ký tự).`, contentChoices(state))], state);
      }
      if ([...content].length > maxContentLength) {
        return turn([ask(`Nội dung dài quá ${maxContentLength} ký tự; bạn vui lòng rút gọn rồi gửi lại.`, contentChoices(state))], state);
      }
      const next: FeedbackFlowState = { ...state, step: 'phone', content, suggested: undefined };
      return turn([phoneStep()], next);
    }
    case 'phone': {
      const p = pressed(message, phoneChoices);
      if (p === P.phoneYes) return turn([ask('Mời bạn nhập số điện thoại (ví dụ 0912 345 678).', [{ title: 'Không để lại số', payload: P.phoneNo }])], { ...state, step: 'phone_number' });
      if (p === P.phoneNo) return turn([publishStep()], { ...state, step: 'publish', phone: undefined });
      // A number typed straight away is consent given by the citizen's own act, after the notice above.
      const typed = message.kind === 'text' ? normalisePhone(message.text) : null;
      if (typed) return turn([publishStep()], { ...state, step: 'publish', phone: typed });
      return turn([phoneStep()], state);
    }
    case 'phone_number': {
      const p = pressed(message, [{ title: 'Không để lại số', payload: P.phoneNo }]);
      if (p === P.phoneNo) return turn([publishStep()], { ...state, step: 'publish', phone: undefined });
      const phone = message.kind === 'text' ? normalisePhone(message.text) : null;
      if (!phone) return turn([ask('Số điện thoại chưa đúng. Bạn nhập lại (10 chữ số, ví dụ 0912345678), hoặc chọn «Không để lại số».', [{ title: 'Không để lại số', payload: P.phoneNo }])], state);
      return turn([publishStep()], { ...state, step: 'publish', phone });
    }
    case 'publish': {
      const p = pressed(message, publishChoices);
      if (p !== P.publishYes && p !== P.publishNo) return turn([publishStep()], state);
      if (!state.subject || !state.content) return turn([subjectStep()], { step: 'subject' });
      const filed = await input.port.file({
        message,
        conversationId: input.conversationId,
        subject: state.subject,
        procedureCode: state.procedureCode ?? null,
        procedureName: state.procedureName ?? null,
        field: state.field ?? null,
        content: state.content,
        phone: state.phone ?? null,
        publishConsent: p === P.publishYes,
      });
      const text =
        `Cảm ơn bạn. UBND xã đã tiếp nhận phản ánh, kiến nghị của bạn với mã số ${filed.code}.\n` +
        `Hạn trả lời: ngày ${formatVnDate(new Date(filed.dueAt.getTime() - 1))}. Câu trả lời sẽ được gửi qua kênh này; ` +
        `bạn có thể gõ mã ${filed.code} bất cứ lúc nào để tra cứu kết quả.`;
      return { replies: [{ kind: 'text', text }], state: undefined, outcome: 'feedback_filed', procedureCode: state.procedureCode, field: state.field };
    }
  }
}
