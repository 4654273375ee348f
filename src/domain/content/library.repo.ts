/**
 * Library sync: content/posts/*.md → Post rows. Idempotent: an unchanged file (same hash) is not touched, a
 * changed one is updated in place (its schedule and history stay), a removed file's post is archived (never
 * deleted: the ledger and the website still refer to it). Posts written in the admin are left alone.
 */
import matter from 'gray-matter';
import type { Db } from '../../db/client.js';
import type { Logger } from '../logger.js';
import { loadLibrary } from './library.js';
import { parsePostFile, type PostFileProblem } from './post-file.js';
import { communeIdOf } from '../../db/tenant.js';

export interface SyncResult {
  created: string[];
  updated: string[];
  unchanged: number;
  archived: string[];
  /** Files refused, with their problems; the other files were still synced. */
  problems: PostFileProblem[];
}

/** Syncs the library folder `dir` into the database. Safe to run at every start and on demand. */
export async function syncLibrary(db: Db, dir: string, log?: Logger): Promise<SyncResult> {
  const communeId = communeIdOf(db);
  const { posts, problems } = loadLibrary(dir);
  const result: SyncResult = { created: [], updated: [], unchanged: 0, archived: [], problems };
  const existing = new Map(
    (await db.post.findMany({ select: { slug: true, contentHash: true, origin: true, archived: true, sourceFile: true } })).map((p) => [p.slug, p]),
  );
  for (const post of posts) {
    const row = existing.get(post.slug);
    // A file post staff edited in the admin: the admin's version wins from then on, the file no longer overwrites it.
    if (row && row.origin === 'admin' && row.sourceFile === post.sourceFile) {
      result.unchanged++;
      continue;
    }
    if (row && row.origin !== 'file') {
      problems.push({
        file: post.sourceFile,
        field: 'slug',
        reason: `Tên (slug) "${post.slug}" đã được dùng cho một bài soạn trên trang quản trị; hãy đổi tên tệp.`,
        logReason: `slug "${post.slug}" belongs to an admin post`,
      });
      continue;
    }
    const fields = {
      title: post.title,
      topic: post.topic,
      tags: post.tags,
      body: post.body,
      imageUrl: post.imageUrl,
      link: post.link,
      channels: post.channels,
      notBefore: post.notBefore,
      notAfter: post.notAfter,
      sourceFile: post.sourceFile,
      contentHash: post.contentHash,
      archived: false,
    };
    if (!row) {
      // upsert, not create: two instances starting together both sync.
      await db.post.upsert({ where: { communeId_slug: { communeId, slug: post.slug } }, create: { communeId, slug: post.slug, origin: 'file', ...fields }, update: fields });
      result.created.push(post.slug);
    } else if (row.contentHash !== post.contentHash || row.archived) {
      await db.post.update({ where: { communeId_slug: { communeId, slug: post.slug } }, data: fields });
      result.updated.push(post.slug);
    } else {
      result.unchanged++;
    }
  }
  const present = new Set(posts.map((p) => p.slug));
  const refusedFiles = new Set(problems.map((p) => p.file.replace(/\.md$/i, '')));
  for (const [slug, row] of existing) {
    // A file that is present but refused keeps its last good version rather than vanishing from the library.
    if (row.origin === 'file' && !row.archived && !present.has(slug) && !refusedFiles.has(slug)) {
      await db.post.update({ where: { communeId_slug: { communeId, slug } }, data: { archived: true } });
      result.archived.push(slug);
    }
  }
  for (const p of problems) log?.warn({ file: p.file, field: p.field, reason: p.logReason }, 'library file refused');
  log?.info(
    { created: result.created.length, updated: result.updated.length, unchanged: result.unchanged, archived: result.archived.length, refused: problems.length },
    'post library synced',
  );
  return result;
}

export interface AdminPostInput {
  /** Lowercase ASCII with hyphens; new posts only (the key of a post never changes). */
  slug: string;
  title: string;
  topic: string;
  tags?: string[];
  body: string;
  imageUrl?: string | null;
  link?: string | null;
  channels: string[];
  /** Vietnam time, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM". */
  notBefore?: string | null;
  notAfter?: string | null;
}

export type SaveAdminPostResult = { ok: true; id: number } | { ok: false; problems: PostFileProblem[] };

/**
 * Creates or updates a post written in the admin (origin `admin`), checked by exactly the rules of library
 * files. A slug owned by a library file is refused: that post is edited in its file.
 */
export async function saveAdminPost(db: Db, input: AdminPostInput, options: { takeOverFile?: boolean } = {}): Promise<SaveAdminPostResult> {
  const data: Record<string, unknown> = { title: input.title, topic: input.topic, tags: input.tags ?? [], channels: input.channels };
  if (input.imageUrl) data.image = input.imageUrl;
  if (input.link) data.link = input.link;
  if (input.notBefore) data.notBefore = input.notBefore;
  if (input.notAfter) data.notAfter = input.notAfter;
  const parsed = parsePostFile(`${input.slug}.md`, matter.stringify(`${input.body.trim()}\n`, data));
  if (!parsed.ok) return parsed;
  const post = parsed.post;
  const communeId = communeIdOf(db);
  const existing = await db.post.findUnique({ where: { communeId_slug: { communeId, slug: post.slug } }, select: { origin: true } });
  // An edit of a library file's post (takeOverFile) makes it an admin post: it keeps sourceFile, so staff see where it
  // came from, and the library sync leaves it alone from then on.
  if (existing && existing.origin !== 'admin' && !options.takeOverFile) {
    return {
      ok: false,
      problems: [{ file: `${post.slug}.md`, field: 'slug', reason: `Tên "${post.slug}" là của một tệp trong thư viện; hãy sửa tệp đó hoặc chọn tên khác.`, logReason: `slug ${post.slug} belongs to a library file` }],
    };
  }
  const fields = {
    title: post.title, topic: post.topic, tags: post.tags, body: post.body, imageUrl: post.imageUrl, link: post.link, channels: post.channels,
    notBefore: post.notBefore, notAfter: post.notAfter, contentHash: post.contentHash, archived: false,
  };
  const row = await db.post.upsert({
    where: { communeId_slug: { communeId, slug: post.slug } },
    create: { communeId, slug: post.slug, origin: 'admin', sourceFile: null, ...fields },
    update: { ...fields, origin: 'admin' },
    select: { id: true },
  });
  return { ok: true, id: row.id };
}
