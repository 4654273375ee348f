/** Posts published on the website channel (`webchat`), as the public feed lists them. */
import type { Db } from '../../db/client.js';

export interface FeedItem {
  id: number;
  slug: string;
  title: string;
  topic: string;
  tags: string[];
  body: string;
  imageUrl: string | null;
  link: string | null;
  publishedAt: Date;
  updatedAt: Date;
}

const WEBSITE = 'webchat';

function toItem(post: { id: number; slug: string; title: string; topic: string; tags: unknown; body: string; imageUrl: string | null; link: string | null; updatedAt: Date }, publishedAt: Date): FeedItem {
  return { ...post, tags: Array.isArray(post.tags) ? post.tags.map(String) : [], publishedAt };
}

/** Published website posts, newest first; a post published twice appears once, at its latest publication. */
export async function listWebsitePosts(db: Db, limit = 50): Promise<FeedItem[]> {
  const rows = await db.scheduledPost.findMany({
    where: { channel: WEBSITE, state: 'published', publishedAt: { not: null }, post: { archived: false } },
    orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
    take: limit * 2,
    include: { post: true },
  });
  const seen = new Set<number>();
  const items: FeedItem[] = [];
  for (const r of rows) {
    if (seen.has(r.postId)) continue;
    seen.add(r.postId);
    items.push(toItem(r.post, r.publishedAt!));
    if (items.length >= limit) break;
  }
  return items;
}

/** One post if it has been published on the website; null otherwise (drafts and other channels stay private). */
export async function findWebsitePost(db: Db, postId: number): Promise<FeedItem | null> {
  const row = await db.scheduledPost.findFirst({
    where: { postId, channel: WEBSITE, state: 'published', publishedAt: { not: null }, post: { archived: false } },
    orderBy: { publishedAt: 'desc' },
    include: { post: true },
  });
  return row ? toItem(row.post, row.publishedAt!) : null;
}
