/**
 * What the engine says, in Vietnamese: menu, procedure card, facet answers, contact information, fallbacks.
 * Every number shown comes from the commune's data (national emergency numbers aside).
 */
import type { Choice, LinkButton, Reply } from '../messages.js';
import type { CommuneProfile, Hotline, Procedure } from '../procedures/procedure.js';
import type { EmergencyKind, Facet, Referral } from '../text/language.js';
import { encodePayload, fieldId } from './payloads.js';

/** National emergency numbers (the same everywhere in Viet Nam). */
export const emergencyNumbers: Record<EmergencyKind, { number: string; label: string }> = {
  police: { number: '113', label: 'Công an (an ninh, trật tự, đánh nhau, trộm cướp)' },
  fire: { number: '114', label: 'Cứu hỏa, cứu nạn cứu hộ' },
  medical: { number: '115', label: 'Cấp cứu y tế' },
  child: { number: '111', label: 'Tổng đài quốc gia bảo vệ trẻ em' },
};

export const facetLabels: Record<Facet, string> = {
  documents: 'Thành phần hồ sơ',
  processingTime: 'Thời hạn giải quyết',
  fees: 'Phí, lệ phí',
  submitAt: 'Nơi nộp',
  legalBasis: 'Căn cứ pháp lý',
  online: 'Dịch vụ công trực tuyến',
};

const staffChoice: Choice = { title: 'Gặp cán bộ', payload: encodePayload({ kind: 'staff' }) };
const searchChoice: Choice = { title: 'Tra cứu thủ tục', payload: encodePayload({ kind: 'fields' }) };
const hotlineChoice: Choice = { title: 'Đường dây nóng', payload: encodePayload({ kind: 'hotline' }) };
/** Starts the feedback exchange (handled by feedback-flow.ts before the engine). */
export const feedbackMenuChoice: Choice = { title: 'Gửi phản ánh, kiến nghị', payload: 'fb:start' };

function communeName(profile: CommuneProfile | null): string {
  return profile?.name ?? 'xã';
}

/** A procedure's name as a short button title ("Thủ tục đăng ký khai sinh" → "Đăng ký khai sinh"). */
export function shortName(procedure: Procedure): string {
  const name = procedure.name.replace(/^thủ tục\s+/iu, '');
  return name.charAt(0).toLocaleUpperCase('vi') + name.slice(1);
}

/** The five entries of the main menu. */
export function menuChoices(): Choice[] {
  return [
    searchChoice,
    hotlineChoice,
    { title: 'Giờ làm việc và địa chỉ', payload: encodePayload({ kind: 'hours' }) },
    { title: 'Dịch vụ công trực tuyến', payload: encodePayload({ kind: 'online' }) },
    staffChoice,
    // Last: Zalo shows five buttons, and typing «phản ánh» starts the same exchange (the menu text says so).
    feedbackMenuChoice,
  ];
}

export function menuReply(profile: CommuneProfile | null, opening: string): Reply {
  return {
    kind: 'choices',
    text: `${opening}\nTôi là trợ lý tra cứu thủ tục hành chính của ${communeName(profile)}. Bạn có thể gõ câu hỏi, ví dụ «làm giấy khai sinh cần gì», «lệ phí đăng ký kết hôn», hoặc chọn một mục dưới đây. Muốn gửi phản ánh, kiến nghị, bạn nhắn «phản ánh».`,
    choices: menuChoices(),
  };
}

function policeNote(procedure: Procedure, profile: CommuneProfile | null): string[] {
  if (!/công an/iu.test(procedure.submitAt)) return [];
  const lines = ['Thủ tục này do Công an xã tiếp nhận và giải quyết, không phải Bộ phận một cửa của UBND xã.'];
  if (profile?.note) lines.push(profile.note);
  return lines;
}

function onlineLinks(procedure: Procedure): LinkButton[] {
  return procedure.onlineUrl ? [{ title: 'Nộp trực tuyến', url: procedure.onlineUrl }] : [];
}

/** The full answer about one procedure. */
export function procedureCard(procedure: Procedure, profile: CommuneProfile | null): Reply {
  const sections = [
    { title: facetLabels.documents, lines: procedure.documents.length > 0 ? procedure.documents : ['Chưa có thông tin, xin hỏi cán bộ một cửa.'] },
    { title: facetLabels.processingTime, lines: [procedure.processingTime || 'Chưa có thông tin.'] },
    { title: facetLabels.fees, lines: [procedure.fees || 'Chưa có thông tin.'] },
    { title: facetLabels.submitAt, lines: [procedure.submitAt || 'Chưa có thông tin.'] },
  ];
  const note = policeNote(procedure, profile);
  if (note.length > 0) sections.push({ title: 'Lưu ý', lines: note });
  const choices: Choice[] = [];
  if (procedure.legalBasis.length > 0) {
    choices.push({ title: facetLabels.legalBasis, payload: encodePayload({ kind: 'facet', facet: 'legalBasis', code: procedure.code }) });
  }
  choices.push(searchChoice, staffChoice);
  const links = onlineLinks(procedure);
  return { kind: 'card', title: shortName(procedure), sections, ...(links.length > 0 ? { links } : {}), choices };
}

function facetLines(procedure: Procedure, facet: Facet): string[] {
  switch (facet) {
    case 'documents':
      return procedure.documents.map((d) => `- ${d}`);
    case 'processingTime':
      return [procedure.processingTime || 'Chưa có thông tin.'];
    case 'fees':
      return [procedure.fees || 'Chưa có thông tin.'];
    case 'submitAt':
      return [procedure.submitAt || 'Chưa có thông tin.'];
    case 'legalBasis':
      return procedure.legalBasis.length > 0 ? procedure.legalBasis.map((l) => `- ${l}`) : ['Chưa có thông tin.'];
    case 'online':
      return procedure.onlineUrl
        ? [`Thủ tục này có dịch vụ công trực tuyến${procedure.onlineLevel ? ` (${procedure.onlineLevel})` : ''}: ${procedure.onlineUrl}`]
        : [`Thủ tục này chưa có đường dẫn nộp trực tuyến trên hệ thống. Nơi nộp: ${procedure.submitAt}`];
  }
}

/** The answer to one or more facets (phí, thời hạn, nơi nộp…) of one procedure. */
export function facetReply(procedure: Procedure, facets: Facet[], profile: CommuneProfile | null): Reply {
  const parts = facets.map((f) => `${facetLabels[f]}:\n${facetLines(procedure, f).join('\n')}`);
  const note = policeNote(procedure, profile);
  const text = [`«${shortName(procedure)}»`, ...parts, ...note].join('\n\n');
  const choices: Choice[] = [
    { title: 'Xem đầy đủ thủ tục', payload: encodePayload({ kind: 'procedure', code: procedure.code }) },
    staffChoice,
  ];
  return { kind: 'choices', text, choices };
}

/** "Có phải bạn muốn hỏi…" with the candidates, each with the one line that tells it apart when there is one. */
export function candidatesReply(procedures: Procedure[], differences: readonly (string | null)[] = []): Reply {
  const line = (p: Procedure, i: number) => `${i + 1}. ${shortName(p)}${differences[i] ? ` — ${differences[i]}` : ''}`;
  return {
    kind: 'choices',
    text: `Có phải bạn muốn hỏi một trong các thủ tục sau?\n${procedures.map(line).join('\n')}`,
    choices: [...procedures.map((p) => ({ title: shortName(p), payload: encodePayload({ kind: 'procedure', code: p.code }) })), staffChoice],
  };
}

export const fieldPageSize = 8;

/** The list of fields (lĩnh vực) to browse. */
export function fieldsReply(fields: string[]): Reply {
  return {
    kind: 'choices',
    text: 'Bạn chọn lĩnh vực cần tra cứu, hoặc gõ tên thủ tục (ví dụ «đăng ký kết hôn»):',
    choices: fields.map((f) => ({ title: f, payload: encodePayload({ kind: 'field', id: fieldId(f), page: 0 }) })),
  };
}

/** One page of the procedures of a field. */
export function fieldPageReply(field: string, procedures: Procedure[], page: number): Reply {
  const start = page * fieldPageSize;
  const slice = procedures.slice(start, start + fieldPageSize);
  const choices: Choice[] = slice.map((p) => ({ title: shortName(p), payload: encodePayload({ kind: 'procedure', code: p.code }) }));
  if (start + fieldPageSize < procedures.length) {
    choices.push({ title: 'Xem thêm', payload: encodePayload({ kind: 'field', id: fieldId(field), page: page + 1 }) });
  }
  const lines = slice.map((p, i) => `${start + i + 1}. ${shortName(p)}`);
  return { kind: 'choices', text: `Lĩnh vực ${field} (${procedures.length} thủ tục):\n${lines.join('\n')}`, choices };
}

/** "UBND xã Minh Tiến (dữ liệu minh họa)" → "xã Minh Tiến": what every commune hotline name ends with. */
function communeShortName(profile: CommuneProfile | null): string | null {
  const m = /((?:xã|phường|thị trấn|đặc khu)\s+[^()]+?)\s*(?:\(|$)/iu.exec(profile?.name ?? '');
  return m ? m[1]!.trim() : null;
}

/** National short numbers (111–115): one line, not a list. */
const isEmergencyNumber = (h: Hotline) => /^11\d$/.test(h.number.replace(/\s/g, ''));

/** The hours most of the commune's numbers share, said once above the list. */
function commonHours(list: readonly Hotline[]): string | null {
  const counts = new Map<string, number>();
  for (const h of list) if (h.hours) counts.set(h.hours, (counts.get(h.hours) ?? 0) + 1);
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] >= 2 ? best[0] : null;
}

function hotlineLine(h: Hotline, shortCommune: string | null, sharedHours: string | null, markExample: boolean): string {
  // "Công an xã Minh Tiến (trực ban)" → "Công an xã (trực ban)": the commune is named once, in the heading.
  const unit = shortCommune?.split(/\s+/)[0] ?? '';
  const name = shortCommune ? h.name.replace(new RegExp(`\\s+${escapeRegExp(shortCommune)}(?=\\s*\\(|$)`, 'u'), ` ${unit}`) : h.name;
  const example = markExample && h.isExample ? ' (số ví dụ)' : '';
  const hours = h.hours && h.hours !== sharedHours ? `; ${h.hours}` : '';
  return `- ${name}: ${h.number}${example} – ${h.purpose}${hours}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The hotline directory from the commune's data, grouped and short: the commune's own numbers with their shared
 * working hours said once, the national help lines, and the emergency numbers on one line.
 */
export function hotlineReply(hotlines: readonly Hotline[], profile: CommuneProfile | null): Reply {
  const sorted = [...hotlines].sort((a, b) => a.sortOrder - b.sortOrder);
  if (sorted.length === 0) {
    const text = `${communeName(profile)} chưa công bố số đường dây nóng trên hệ thống này. Bạn có thể đến trực tiếp Trung tâm Phục vụ hành chính công của xã${profile?.address ? `, ${profile.address},` : ''} hoặc chọn «Gặp cán bộ».`;
    return { kind: 'choices', text, choices: [searchChoice, staffChoice] };
  }
  const emergency = sorted.filter(isEmergencyNumber);
  const own = sorted.filter((h) => !isEmergencyNumber(h) && (h.isExample || (h.hours !== null && !/suốt ngày đêm|24\/7/iu.test(h.hours) && /^0/.test(h.number))));
  const national = sorted.filter((h) => !emergency.includes(h) && !own.includes(h));
  const short = communeShortName(profile);
  const allExamples = own.length > 0 && own.every((h) => h.isExample);
  const blocks: string[] = [];
  if (own.length > 0) {
    const hours = commonHours(own);
    const head = `Số điện thoại của ${short ?? communeName(profile)}${allExamples ? ' (số ví dụ, chưa phải số thật của xã)' : ''}:`;
    blocks.push([head, ...(hours ? [`Giờ làm việc: ${hours}.`] : []), ...own.map((h) => hotlineLine(h, short, hours, !allExamples))].join('\n'));
  }
  if (national.length > 0) blocks.push(['Tổng đài toàn quốc:', ...national.map((h) => hotlineLine(h, null, null, true))].join('\n'));
  if (emergency.length > 0) {
    const order = ['113', '114', '115', '112', '111'];
    const byUrgency = [...emergency].sort((a, b) => order.indexOf(a.number) - order.indexOf(b.number));
    blocks.push(`Khẩn cấp (miễn cước, suốt ngày đêm): ${byUrgency.map((h) => `${h.number} ${h.name}`).join(' · ')}`);
  }
  return { kind: 'choices', text: blocks.join('\n\n'), choices: [searchChoice, staffChoice] };
}

/** Working hours and address. */
export function hoursReply(profile: CommuneProfile | null): Reply {
  if (!profile) {
    return { kind: 'choices', text: 'Hệ thống chưa có thông tin giờ làm việc và địa chỉ của xã. Bạn chọn «Gặp cán bộ» để được hỗ trợ.', choices: [staffChoice] };
  }
  const lines = [`${profile.name}`, `Địa chỉ: ${profile.address}`, `Giờ làm việc: ${profile.workingHours}`];
  if (profile.email) lines.push(`Email: ${profile.email}`);
  return { kind: 'choices', text: lines.join('\n'), choices: [hotlineChoice, searchChoice, staffChoice] };
}

/** Where to do procedures online. */
export function onlineReply(profile: CommuneProfile | null, hotlines: readonly Hotline[]): Reply {
  const links: LinkButton[] = [];
  if (profile?.portalUrl) links.push({ title: 'Cổng dịch vụ công', url: profile.portalUrl });
  if (profile?.website) links.push({ title: 'Trang thông tin của xã', url: profile.website });
  const lines = ['Nhiều thủ tục có thể nộp trực tuyến, không phải đến xã.'];
  if (profile?.portalUrl) lines.push(`Cổng dịch vụ công: ${profile.portalUrl}`);
  if (profile?.website) lines.push(`Trang thông tin của xã: ${profile.website}`);
  const portalHelp = hotlines.find((h) => /dịch vụ công/iu.test(`${h.name} ${h.purpose}`));
  if (portalHelp) lines.push(`Hỗ trợ tài khoản, nộp trực tuyến: ${portalHelp.number}${portalHelp.isExample ? ' (số ví dụ)' : ''}`);
  lines.push('Gõ tên thủ tục (ví dụ «đăng ký khai sinh») để xem thủ tục đó có nộp trực tuyến được không.');
  return { kind: 'text', text: lines.join('\n'), ...(links.length > 0 ? { links } : {}) };
}

/** Emergency numbers, the most relevant first. */
export function emergencyReply(kinds: EmergencyKind[]): Reply {
  const order: EmergencyKind[] = [...kinds, ...(['police', 'fire', 'medical', 'child'] as const).filter((k) => !kinds.includes(k))];
  const lines = order.map((k) => `- ${emergencyNumbers[k].number}: ${emergencyNumbers[k].label}`);
  return {
    kind: 'text',
    text: `Nếu đang có nguy hiểm, hãy gọi ngay (miễn phí, 24/7):\n${lines.join('\n')}\nĐây là trợ lý tra cứu thủ tục, không tiếp nhận tin báo khẩn cấp.`,
  };
}

/** Honest "not found": no invented procedure, the way to a person instead. */
export function unansweredReply(hotlines: readonly Hotline[], profile: CommuneProfile | null): Reply {
  const main = [...hotlines].sort((a, b) => a.sortOrder - b.sortOrder)[0];
  const contact = main ? ` hoặc gọi ${main.name}: ${main.number}${main.isExample ? ' (số ví dụ)' : ''}` : '';
  return {
    kind: 'choices',
    text: `Xin lỗi, tôi chưa tìm thấy thủ tục phù hợp với câu hỏi này trong danh mục thủ tục của ${communeName(profile)}. Bạn thử gõ tên thủ tục ngắn gọn hơn, xem theo lĩnh vực, chọn «Gặp cán bộ»${contact}.`,
    choices: [searchChoice, hotlineChoice, staffChoice],
  };
}

/** Outside what the service does. */
export function offtopicReply(profile: CommuneProfile | null): Reply {
  return {
    kind: 'choices',
    text: `Dạ, tôi chỉ hỗ trợ tra cứu thủ tục hành chính và thông tin liên hệ của ${communeName(profile)}. Bạn có thể hỏi, ví dụ «đăng ký kết hôn cần giấy tờ gì», hoặc chọn một mục dưới đây.`,
    choices: menuChoices(),
  };
}

/** A facet asked with no procedure named and none in the conversation. */
export function whichProcedureReply(facets: Facet[]): Reply {
  const label = facetLabels[facets[0] ?? 'documents'].toLowerCase();
  return {
    kind: 'choices',
    text: `Bạn muốn hỏi ${label} của thủ tục nào? Hãy gõ tên thủ tục, ví dụ «${label} đăng ký khai sinh», hoặc xem theo lĩnh vực.`,
    choices: [searchChoice, staffChoice],
  };
}

/** Police-run matters with no procedure recognised. */
export function policeReply(profile: CommuneProfile | null): Reply {
  const lines = ['Các việc về cư trú (thường trú, tạm trú, tạm vắng), thẻ căn cước và tài khoản định danh điện tử (VNeID) do Công an xã tiếp nhận và giải quyết.'];
  if (profile?.note) lines.push(profile.note);
  lines.push('Bạn gõ rõ việc cần làm, ví dụ «đăng ký tạm trú» hoặc «cấp đổi thẻ căn cước», để xem hồ sơ cần chuẩn bị.');
  return { kind: 'choices', text: lines.join('\n'), choices: [searchChoice, hotlineChoice, staffChoice] };
}

/**
 * A matter outside the commune's remit (divorce, passports, vehicles, social insurance, taxes…): where to go and the
 * link, never a commune procedure.
 */
export function referralReply(referral: Referral, profile: CommuneProfile | null): Reply {
  const sections = [{ title: 'Nơi giải quyết', lines: [referral.where] }];
  if (referral.how) sections.push({ title: 'Cách làm', lines: [referral.how] });
  sections.push({ title: 'Lưu ý', lines: [`Việc này không thuộc thẩm quyền giải quyết của ${communeName(profile)}, nên trợ lý không có hồ sơ mẫu cho việc này. Nếu cần, bạn chọn «Gặp cán bộ» để được hướng dẫn thêm.`] });
  return {
    kind: 'card',
    title: referral.matter,
    sections,
    ...(referral.url ? { links: [{ title: 'Xem hướng dẫn chính thức', url: referral.url }] } : {}),
    choices: [searchChoice, staffChoice],
  };
}

export function thanksReply(): Reply {
  return { kind: 'choices', text: 'Dạ, không có gì ạ. Khi cần tra cứu thủ tục, bạn cứ nhắn cho tôi.', choices: [searchChoice, staffChoice] };
}

export function unsupportedReply(): Reply {
  return { kind: 'choices', text: 'Dạ, hiện tôi chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi hoặc chọn một mục dưới đây.', choices: menuChoices() };
}

/**
 * Whether the citizen writes as a younger person to an official: «em» for themself and the polite «ạ»
 * («cho em hỏi … ạ»). The answer then speaks to them as «em» and opens with «Dạ,»; otherwise it stays neutral.
 */
export function writesAsEm(citizenText: string): boolean {
  // No ạ in any form (precomposed, capital, or a with the combining dot below): not the polite form, and no need to
  // normalise and lowercase the whole text (long stories are most of the cost here).
  if (!/[ạẠ\u0323]/u.test(citizenText)) return false;
  const t = citizenText.normalize('NFC').toLocaleLowerCase('vi');
  return /(^|[^\p{L}])em([^\p{L}]|$)/u.test(t) && /(^|[^\p{L}])ạ([^\p{L}]|$)/u.test(t);
}

function addressAsEm(text: string): string {
  const swapped = text.replace(/(^|[^\p{L}])(B|b)ạn(?=[^\p{L}]|$)/gu, (_m, before: string, b: string) => `${before}${b === 'B' ? 'Em' : 'em'}`);
  if (/^Dạ[,\s]/u.test(swapped)) return swapped;
  return `Dạ, ${swapped.charAt(0).toLocaleLowerCase('vi')}${swapped.slice(1)}`;
}

/** Rewrites the text of the replies to follow how the citizen addresses the commune (see writesAsEm). */
export function followAddressing<T extends { replies: Reply[] }>(result: T, citizenText: string): T {
  if (!writesAsEm(citizenText)) return result;
  const replies = result.replies.map((r): Reply => (r.kind === 'card' ? r : { ...r, text: addressAsEm(r.text) }));
  return { ...result, replies };
}
