import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../src/domain/content/library.js';
import { syncLibrary } from '../src/domain/content/library.repo.js';
import { parsePostFile } from '../src/domain/content/post-file.js';
import { topicKeys } from '../src/domain/content/topics.js';
import { createTestDb, type TestDb } from './support/db.js';

const demoDir = path.resolve(import.meta.dirname, '../content/posts');

const good = (title: string, extra = '') => `---
title: ${title}
topic: chinh-phu-so
tags: [VNeID]
channels: [messenger, website]
${extra}---
Nội dung bài viết về dịch vụ công trực tuyến.
`;

describe('post file parsing', () => {
  it('reads a valid file, with website as an alias of the webchat channel and Vietnam dates', () => {
    const r = parsePostFile('vneid.md', good('Hướng dẫn VNeID', 'notBefore: 2024-05-01\nnotAfter: 2024-05-31\nlink: https://dichvucong.gov.vn\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.post).toMatchObject({ slug: 'vneid', title: 'Hướng dẫn VNeID', topic: 'chinh-phu-so', channels: ['messenger', 'webchat'], link: 'https://dichvucong.gov.vn' });
    expect(r.post.notBefore?.toISOString()).toBe('2024-04-30T17:00:00.000Z');
    expect(r.post.notAfter?.toISOString()).toBe('2024-05-31T16:59:59.999Z');
    expect(r.post.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('normalises text to NFC', () => {
    const decomposed = good('Hướng dẫn'.normalize('NFD'));
    const r = parsePostFile('nfc.md', decomposed);
    expect(r.ok && r.post.title).toBe('Hướng dẫn'.normalize('NFC'));
  });

  it('refuses a bad file naming every field and why, in Vietnamese and English', () => {
    const r = parsePostFile('Bai Sai.md', `---
topic: khong-co
channels: [messenger, myspace]
link: dichvucong.gov.vn
notBefore: 2024-13-40
---
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const fields = r.problems.map((p) => p.field).sort();
    expect(fields).toEqual(['body', 'channels', 'link', 'notBefore', 'slug', 'title', 'topic']);
    for (const p of r.problems) {
      expect(p.file).toBe('Bai Sai.md');
      expect(p.reason.length).toBeGreaterThan(5);
      expect(p.logReason).toMatch(/^[\x20-\x7E]+$/);
    }
    expect(r.problems.find((p) => p.field === 'topic')?.reason).toContain('Chủ đề "khong-co" không có');
    expect(r.problems.find((p) => p.field === 'channels')?.reason).toContain('myspace');
  });

  it('refuses broken YAML', () => {
    const r = parsePostFile('yaml.md', '---\ntitle: [không đóng\n---\nNội dung');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ file: 'yaml.md', field: 'front matter' });
  });
});

describe('the demo library', () => {
  const library = loadLibrary(demoDir);

  it('loads with no problems: at least 20 posts covering every topic', () => {
    expect(library.problems).toEqual([]);
    expect(library.posts.length).toBeGreaterThanOrEqual(20);
    expect(new Set(library.posts.map((p) => p.topic))).toEqual(new Set(topicKeys));
  });

  it('is NFC Vietnamese on the topics staff asked for, with no invented phone numbers', () => {
    const all = library.posts.map((p) => `${p.title}\n${p.body}`).join('\n');
    for (const file of fs.readdirSync(demoDir)) {
      const text = fs.readFileSync(path.join(demoDir, file), 'utf8');
      expect(text === text.normalize('NFC'), file).toBe(true);
    }
    for (const must of ['Cổng Dịch vụ công quốc gia', 'VNeID', 'bưu chính công ích', 'đường dây nóng', '18001096']) {
      expect(all.toLowerCase(), must).toContain(must.toLowerCase());
    }
    const phoneLike = all.match(/\b\d[\d .]{6,}\d\b/g) ?? [];
    expect(phoneLike.map((n) => n.replace(/\D/g, '')).filter((n) => n !== '18001096')).toEqual([]);
  });
});

describe('library sync into the database', () => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-posts-'));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads valid files, refuses the bad one, and is idempotent', async () => {
    fs.writeFileSync(path.join(dir, 'mot.md'), good('Bài một'));
    fs.writeFileSync(path.join(dir, 'hai.md'), good('Bài hai'));
    fs.writeFileSync(path.join(dir, 'loi.md'), good('Bài lỗi').replace('topic: chinh-phu-so', 'topic: sai-chu-de'));
    const first = await syncLibrary(db.db, dir);
    expect(first.created.sort()).toEqual(['hai', 'mot']);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatchObject({ file: 'loi.md', field: 'topic' });
    expect(await db.db.post.count()).toBe(2);

    const again = await syncLibrary(db.db, dir);
    expect(again).toMatchObject({ created: [], updated: [], unchanged: 2, archived: [] });
  });

  it('updates a changed file in place by hash and archives a removed one', async () => {
    const before = await db.db.post.findFirstOrThrow({ where: { slug: 'mot' } });
    fs.writeFileSync(path.join(dir, 'mot.md'), good('Bài một (sửa)'));
    fs.rmSync(path.join(dir, 'hai.md'));
    const r = await syncLibrary(db.db, dir);
    expect(r).toMatchObject({ created: [], updated: ['mot'], unchanged: 0, archived: ['hai'] });
    const after = await db.db.post.findFirstOrThrow({ where: { slug: 'mot' } });
    expect(after.id).toBe(before.id);
    expect(after.title).toBe('Bài một (sửa)');
    expect(after.contentHash).not.toBe(before.contentHash);
    expect((await db.db.post.findFirstOrThrow({ where: { slug: 'hai' } })).archived).toBe(true);
    // The file comes back: un-archived.
    fs.writeFileSync(path.join(dir, 'hai.md'), good('Bài hai'));
    expect((await syncLibrary(db.db, dir)).updated).toEqual(['hai']);
    expect((await db.db.post.findFirstOrThrow({ where: { slug: 'hai' } })).archived).toBe(false);
  });

  it('syncs the whole demo library', async () => {
    const r = await syncLibrary(db.db, demoDir);
    expect(r.problems).toEqual([]);
    expect(r.created.length).toBeGreaterThanOrEqual(20);
  });
});

describe('posts written in the admin', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('are checked by the library rules, saved as origin admin, and survive a library sync', async () => {
    const { saveAdminPost } = await import('../src/domain/content/library.repo.js');
    const bad = await saveAdminPost(db.db, { slug: 'thong-bao', title: '', topic: 'khong-co', body: 'x', channels: ['zalo'], notBefore: '2024-13-01' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.field).sort()).toEqual(['notBefore', 'title', 'topic']);
    const ok = await saveAdminPost(db.db, { slug: 'thong-bao', title: 'Thông báo lịch tiếp dân', topic: 'nha-nuoc-va-nhan-dan', body: 'Nội dung: "trích dẫn" và dấu: hai chấm', channels: ['zalo', 'website'], notAfter: '2026-12-31' });
    expect(ok.ok).toBe(true);
    const row = await db.db.post.findFirstOrThrow({ where: { slug: 'thong-bao' } });
    expect(row).toMatchObject({ origin: 'admin', title: 'Thông báo lịch tiếp dân', body: 'Nội dung: "trích dẫn" và dấu: hai chấm', channels: ['zalo', 'webchat'] });
    expect(row.notAfter?.toISOString()).toBe('2026-12-31T16:59:59.999Z');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-posts-'));
    fs.writeFileSync(path.join(dir, 'thong-bao.md'), good('Tệp trùng tên'));
    const r = await syncLibrary(db.db, dir);
    expect(r.problems[0]).toMatchObject({ file: 'thong-bao.md', field: 'slug' });
    expect((await db.db.post.findFirstOrThrow({ where: { slug: 'thong-bao' } })).title).toBe('Thông báo lịch tiếp dân');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
