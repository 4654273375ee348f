/**
 * One library file content/posts/<slug>.md: Markdown with front matter. Parsing is strict and says, for each
 * problem, which file, which field and why (Vietnamese for staff, English for the log).
 *
 * @example
 * ---
 * title: Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia
 * topic: chinh-phu-so
 * tags: [dịch vụ công trực tuyến, VNeID]
 * channels: [messenger, zalo, telegram, website]
 * image: https://example.org/anh.jpg      # optional
 * link: https://dichvucong.gov.vn          # optional
 * notBefore: 2024-05-01                    # optional, Vietnam date (or "2024-05-01 08:00")
 * notAfter: 2024-12-31                     # optional, through the end of that day
 * ---
 * Nội dung bài viết…
 */
import crypto from 'node:crypto';
import matter from 'gray-matter';
import { channelNames, type ChannelName } from '../messages.js';
import { parseVietnamDateTime } from '../scheduler/vn-time.js';
import { isTopicKey, topicKeys, type TopicKey } from './topics.js';

export interface LibraryPost {
  slug: string;
  title: string;
  topic: TopicKey;
  tags: string[];
  body: string;
  imageUrl: string | null;
  link: string | null;
  channels: ChannelName[];
  notBefore: Date | null;
  notAfter: Date | null;
  sourceFile: string;
  contentHash: string;
}

/** One reason a file was refused. */
export interface PostFileProblem {
  file: string;
  field: string;
  /** Vietnamese, for staff. */
  reason: string;
  /** English, for the log. */
  logReason: string;
}

export type ParsedPostFile = { ok: true; post: LibraryPost } | { ok: false; problems: PostFileProblem[] };

const channelAliases: Record<string, ChannelName> = { website: 'webchat', web: 'webchat', facebook: 'messenger', fanpage: 'messenger' };
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const httpUrl = /^https?:\/\/[^\s<>"]+$/;
const MAX_TITLE = 200;

/**
 * The Vietnam date-time of a front-matter value. YAML turns `2024-05-06` into a Date and silently rolls
 * `2024-13-40` over, so for dates the text as written in the front matter is parsed instead.
 */
function frontMatterInstant(value: unknown, rawMatter: string, field: string, endOfDay: boolean): Date | null | 'invalid' {
  if (value === undefined || value === null || value === '') return null;
  let text: string;
  if (value instanceof Date) {
    const written = new RegExp(`^\\s*${field}\\s*:\\s*["']?([^"'\\n#]*?)["']?\\s*(?:#.*)?$`, 'm').exec(rawMatter);
    if (!written?.[1]) return 'invalid';
    text = written[1].trim().replace(/T(\d{2}:\d{2})(:00(\.0+)?)?Z?$/, ' $1');
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return 'invalid';
  }
  const at = parseVietnamDateTime(text);
  if (!at) return 'invalid';
  const dateOnly = /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text);
  return endOfDay && dateOnly ? new Date(at.getTime() + 86_400_000 - 1) : at;
}

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map((v) => String(v).trim()).filter(Boolean);
  }
  return null;
}

/** Parses one file's text. `file` is the name shown in problems (relative to the posts folder). */
export function parsePostFile(file: string, raw: string): ParsedPostFile {
  const text = raw.normalize('NFC');
  const problems: PostFileProblem[] = [];
  const problem = (field: string, reason: string, logReason: string) => problems.push({ file, field, reason, logReason });

  let parsed: { data: Record<string, unknown>; content: string; matter: string };
  try {
    // An empty options object turns off gray-matter's cache, which would share one result between equal texts.
    parsed = matter(text, {}) as unknown as { data: Record<string, unknown>; content: string; matter: string };
  } catch (e) {
    problem('front matter', `Phần đầu (front matter) không đúng cú pháp YAML: ${(e as Error).message.split('\n')[0]}`, `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return { ok: false, problems };
  }
  const data = parsed.data ?? {};

  const base = file.replace(/^.*[\\/]/, '').replace(/\.md$/i, '');
  const slug = typeof data.slug === 'string' ? data.slug.trim() : base;
  if (!slugPattern.test(slug)) {
    problem('slug', `Tên tệp (slug) "${slug}" chỉ được gồm chữ thường không dấu, số và dấu gạch ngang.`, `slug "${slug}" must be lowercase ASCII letters, digits and hyphens`);
  }

  const title = typeof data.title === 'string' ? data.title.trim() : '';
  if (!title) problem('title', 'Thiếu tiêu đề (title).', 'title is missing');
  else if (title.length > MAX_TITLE) problem('title', `Tiêu đề dài quá ${MAX_TITLE} ký tự.`, `title is longer than ${MAX_TITLE} characters`);

  const topic = typeof data.topic === 'string' ? data.topic.trim() : '';
  if (!topic) problem('topic', 'Thiếu chủ đề (topic).', 'topic is missing');
  else if (!isTopicKey(topic)) problem('topic', `Chủ đề "${topic}" không có trong danh mục. Dùng một trong: ${topicKeys.join(', ')}.`, `unknown topic "${topic}"`);

  const tags = stringList(data.tags);
  if (tags === null) problem('tags', 'Thẻ (tags) phải là danh sách chữ, ví dụ: [VNeID, dịch vụ công].', 'tags must be a list of strings');

  const channelsRaw = stringList(data.channels);
  const channels: ChannelName[] = [];
  if (channelsRaw === null || channelsRaw.length === 0) {
    problem('channels', 'Thiếu kênh đăng (channels), ví dụ: [messenger, zalo, telegram, website].', 'channels must be a non-empty list');
  } else {
    for (const c of channelsRaw) {
      const name = channelAliases[c.toLowerCase()] ?? c.toLowerCase();
      if ((channelNames as readonly string[]).includes(name)) {
        if (!channels.includes(name as ChannelName)) channels.push(name as ChannelName);
      } else {
        problem('channels', `Kênh "${c}" không có. Dùng: messenger, zalo, telegram, website.`, `unknown channel "${c}"`);
      }
    }
  }

  const image = data.image ?? data.imageUrl;
  let imageUrl: string | null = null;
  if (image !== undefined && image !== null && image !== '') {
    if (typeof image === 'string' && (httpUrl.test(image.trim()) || /^\/[^\s<>"]*$/.test(image.trim()))) imageUrl = image.trim();
    else problem('image', 'Ảnh (image) phải là địa chỉ http(s) hoặc đường dẫn bắt đầu bằng "/".', 'image must be an http(s) URL or an absolute path');
  }

  let link: string | null = null;
  if (data.link !== undefined && data.link !== null && data.link !== '') {
    if (typeof data.link === 'string' && httpUrl.test(data.link.trim())) link = data.link.trim();
    else problem('link', 'Liên kết (link) phải là địa chỉ bắt đầu bằng http:// hoặc https://.', 'link must be an http(s) URL');
  }

  const notBefore = frontMatterInstant(data.notBefore, parsed.matter ?? '', 'notBefore', false);
  if (notBefore === 'invalid') problem('notBefore', 'Ngày bắt đầu (notBefore) phải có dạng 2024-05-06 hoặc "2024-05-06 08:00".', 'notBefore is not a date');
  const notAfter = frontMatterInstant(data.notAfter, parsed.matter ?? '', 'notAfter', true);
  if (notAfter === 'invalid') problem('notAfter', 'Ngày kết thúc (notAfter) phải có dạng 2024-12-31 hoặc "2024-12-31 17:00".', 'notAfter is not a date');
  if (notBefore instanceof Date && notAfter instanceof Date && notAfter < notBefore) {
    problem('notAfter', 'Ngày kết thúc (notAfter) đứng trước ngày bắt đầu (notBefore).', 'notAfter is before notBefore');
  }

  const body = parsed.content.trim();
  if (!body) problem('body', 'Bài viết chưa có nội dung (phần sau dấu ---).', 'body is empty');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    post: {
      slug,
      title,
      topic: topic as TopicKey,
      tags: tags ?? [],
      body,
      imageUrl,
      link,
      channels,
      notBefore: notBefore as Date | null,
      notAfter: notAfter as Date | null,
      sourceFile: file,
      contentHash: crypto.createHash('sha256').update(text).digest('hex'),
    },
  };
}
