/**
 * Reads the content library folder (content/posts/*.md). Valid files load; each invalid one is refused with its
 * problems, and the rest still load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parsePostFile, type LibraryPost, type PostFileProblem } from './post-file.js';

export interface LoadedLibrary {
  posts: LibraryPost[];
  problems: PostFileProblem[];
}

/** Loads every `*.md` file of `dir` (sorted by name); a missing folder is an empty library. */
export function loadLibrary(dir: string): LoadedLibrary {
  if (!fs.existsSync(dir)) return { posts: [], problems: [] };
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.md') && !f.startsWith('.') && f.toLowerCase() !== 'readme.md')
    .sort();
  const posts: LibraryPost[] = [];
  const problems: PostFileProblem[] = [];
  const bySlug = new Map<string, string>();
  for (const file of files) {
    const result = parsePostFile(file, fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const other = bySlug.get(result.post.slug);
    if (other) {
      problems.push({
        file,
        field: 'slug',
        reason: `Trùng tên (slug) "${result.post.slug}" với tệp ${other}.`,
        logReason: `slug "${result.post.slug}" already used by ${other}`,
      });
      continue;
    }
    bySlug.set(result.post.slug, file);
    posts.push(result.post);
  }
  return { posts, problems };
}
