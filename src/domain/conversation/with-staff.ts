/**
 * What the assistant says around a handover, honestly: who will answer and when (from the commune's opening hours,
 * at the moment the citizen asked), that it is back when staff hand the conversation back, and a polite word for a
 * «cảm ơn» instead of a search that finds nothing. Pure: the time comes with the message.
 *
 * @example
 * waitingReply(profile, new Date('2026-12-05T14:00:00Z')) // Saturday 21:00 local
 * // → «… Hiện đã ngoài giờ làm việc … Cán bộ sẽ trả lời bạn tại đây từ 7 giờ 30 sáng Thứ Hai, 07/12 …»
 */
import type { Reply } from '../messages.js';
import type { CommuneProfile } from '../procedures/procedure.js';
import { foldText } from '../text/normalize.js';
import { clockText, nextOpening, officeSchedule, openingText, openPeriod } from './office-hours.js';
import { menuChoices } from './replies.js';

function communeName(profile: CommuneProfile | null): string {
  return profile?.name ?? 'xã';
}

/** The citizen asked for a person at `at`: they are with staff now, told when an answer can come. */
export function waitingReply(profile: CommuneProfile | null, at: Date): Reply {
  const schedule = officeSchedule(profile?.officeHours);
  const open = openPeriod(schedule, at);
  const hours = profile?.workingHours ? ` Giờ làm việc: ${profile.workingHours.replace(/[.\s]+$/u, '')}.` : '';
  const opening = open ? null : nextOpening(schedule, at);
  const when = open
    ? `Bây giờ đang trong giờ làm việc (đến ${clockText(open.closesAt)}), cán bộ sẽ trả lời bạn ngay tại đây trong thời gian sớm nhất.`
    : `Hiện đã ngoài giờ làm việc.${hours} Cán bộ sẽ trả lời bạn tại đây ${opening ? `từ ${openingText(opening, at)}` : 'vào ngày làm việc tới'}.`;
  return {
    kind: 'text',
    text: `Dạ, tôi đã chuyển cuộc trò chuyện tới cán bộ của ${communeName(profile)}. ${when} Trong lúc chờ, trợ lý tự động tạm dừng; bạn cứ để lại câu hỏi, không cần ở lại trang này.`,
  };
}

/** Staff handed the conversation back: the assistant answers again, and says so. */
export function assistantBackReply(): Reply {
  return {
    kind: 'choices',
    text: 'Dạ, cán bộ đã trả lời xong. Trợ lý tự động đã trở lại và tiếp tục hỗ trợ bạn tra cứu thủ tục. Khi cần, bạn chọn «Gặp cán bộ» để nhắn lại cho cán bộ.',
    choices: menuChoices(),
  };
}

/** A polite word for a closing after an officer answered; the conversation stays with staff. */
export function closingAfterStaffReply(): Reply {
  return { kind: 'text', text: 'Dạ, cảm ơn bạn. Nếu còn cần hỏi thêm, bạn cứ nhắn tại đây, cán bộ vẫn theo dõi cuộc trò chuyện này.' };
}

/** A closing after the assistant is back (or any time): never a search that finds nothing. */
export function closingReply(): Reply {
  return { kind: 'text', text: 'Dạ, không có gì ạ. Khi cần tra cứu thủ tục, bạn cứ nhắn cho tôi.' };
}

// Folded words a closing is made of: thanks, goodbyes, agreement, who is thanked, politeness particles.
const closingHeads = ['cam on', 'thank', 'thanks', 'tks', 'tam biet', 'bye', 'ok', 'oke', 'okay', 'vang', 'duoc roi', 'ro roi', 'hieu roi'];
const closingFiller = new Set(
  ('a a. da vang nhe nha nhieu lam rat that su qua em anh chi co chu bac ong ba ban minh toi con chau cac can bo '
    + 'xa uy ban ubnd da giup ho tro giup do tu van tra loi nhiet tinh roi duoc hieu ro chuc ngay tot lanh vui ve '
    + 'thank thanks you tks ok oke okay cam on tam biet bye hen gap lai nhe a').split(/\s+/),
);

/**
 * True when the text is only a closing: «cảm ơn», «em cảm ơn anh đã hỗ trợ ạ», «ok cảm ơn nhé», «vâng ạ», «tạm biệt».
 * A question after the thanks («cảm ơn, nhưng khai sinh cần gì») is not a closing.
 */
export function isClosing(text: string): boolean {
  const folded = ` ${foldText(text).replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim()} `;
  if (folded.trim() === '' || folded.length > 80) return false;
  if (!closingHeads.some((h) => folded.includes(` ${h} `))) return false;
  return folded.trim().split(' ').every((w) => closingFiller.has(w));
}
