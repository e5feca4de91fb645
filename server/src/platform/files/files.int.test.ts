import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { newId } from '../../modules/people/import/import.test-fixtures.js';
import { buildUser, newSession, nodeIdByName } from '../../test/factories.js';
import { describeEachDb, OWN_ORIGIN, type TestEnv } from '../../test/test-app.js';
import { createJobs } from '../jobs/index.js';
import { createLocalFileStore } from './file-store.js';
import { DEFAULT_FILE_LIMITS } from './files.logic.js';
import { FILES_SWEEP_JOB } from './files.routes.js';
import type { FileView } from './files.schemas.js';
import { createFilesService } from './files.service.js';
import { createFileSealer } from './sealed-file.js';

type Part = { name: string; filename: string; data: Buffer };

/** A multipart/form-data body, as a browser sends it. */
function multipart(parts: Part[]) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A 400×200 photo, left half red and right half blue, stored sideways (EXIF orientation 6) with GPS in its EXIF. */
async function phonePhoto(): Promise<Buffer> {
  const raw = Buffer.alloc(400 * 200 * 3);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 400; x++) raw[(y * 400 + x) * 3 + (x < 200 ? 0 : 2)] = 255;
  }
  return sharp(raw, { raw: { width: 400, height: 200, channels: 3 } })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'LinliTestCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '116/1 0/1 0/1' },
    })
    .jpeg()
    .toBuffer();
}

/** A valid PNG of 30000×30000 one-bit pixels, all black: 900 megapixels in about 100 KB. */
function pngBomb(): Buffer {
  const side = 30000;
  const crc = (b: Buffer) => zlib.crc32(b);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + side / 8) * side); // filter byte 0 and zero pixels on every row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const solid = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } })
    .jpeg()
    .toBuffer();

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);

async function pixel(img: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(img).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describeEachDb('files', (env: TestEnv) => {
  let gridResident: number; // 第一网格: wangge's
  let otherGridResident: number; // 第二网格 of the same community: shequ's, not wangge's
  const store = () => createLocalFileStore({ dir: env.filesDir, sealer: createFileSealer(env.pii.fileKeys) });
  const service = () => createFilesService({ db: env.db, store: store() });

  const upload = (user: string, parts: Part[]) =>
    env.as(user, { method: 'POST', url: '/api/files', ...multipart(parts) });
  const uploadOne = async (user: string, data: Buffer, filename = 'photo.jpg'): Promise<FileView> => {
    const res = await upload(user, [{ name: 'file', filename, data }]);
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { items: FileView[] }).items[0]!;
  };
  const fileRows = async () => (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM files'))[0]!.n;
  const blobs = () => store().list();
  const attach = (user: string, residentId: number, fileIds: string[]) =>
    env.as(user, {
      method: 'POST',
      url: `/api/people/residents/${residentId}/attachments`,
      payload: { fileIds },
    });

  beforeAll(async () => {
    const make = async (nodeId: number, name: string) => {
      const res = await env.as('admin', {
        method: 'POST',
        url: '/api/people/residents',
        payload: { name, idNumber: newId(), nodeId },
      });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: number }).id;
    };
    gridResident = await make(env.ids.unit!, '林照片');
    otherGridResident = await make(await nodeIdByName(env.db, '第二网格', env.ids.community), '林附件');
  });

  describe('uploads', () => {
    it('applies the orientation, strips EXIF with GPS, and keeps a thumbnail', async () => {
      const input = await phonePhoto();
      const before = await sharp(input).metadata();
      expect(before.orientation).toBe(6);
      expect(input.includes('LinliTestCam')).toBe(true);
      // The GPS IFD pointer (tag 0x8825) is in the input's EXIF.
      expect(before.exif?.includes(Buffer.from([0x88, 0x25])) || before.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(
        true,
      );

      const f = await uploadOne('wangge', input, 'IMG_0001.jpg');
      expect(f).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 200, height: 400, name: 'IMG_0001.jpg' });
      expect(f.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(f.thumbUrl).toBe(`/api/files/${f.id}/thumb`);
      expect(f.attached).toBe(false);

      const res = await env.as('wangge', { method: 'GET', url: f.url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toMatch(/^private/);
      const out = res.rawPayload;
      const meta = await sharp(out).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 200, height: 400 });
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(out.includes('LinliTestCam')).toBe(false);
      // Turned a quarter clockwise: the red left half is now on top, the blue right half below.
      const [r1, , b1] = await pixel(out, 100, 50);
      const [r2, , b2] = await pixel(out, 100, 350);
      expect(r1).toBeGreaterThan(200);
      expect(b1).toBeLessThan(60);
      expect(b2).toBeGreaterThan(200);
      expect(r2).toBeLessThan(60);

      const thumb = await env.as('wangge', { method: 'GET', url: f.thumbUrl! });
      expect(thumb.statusCode).toBe(200);
      const tm = await sharp(thumb.rawPayload).metadata();
      expect(tm).toMatchObject({ format: 'jpeg', width: 160, height: 320 });
      expect(tm.exif).toBeUndefined();
    });

    it('shrinks the long side to 2048 px and the thumbnail to 320 px', async () => {
      const f = await uploadOne('wangge', await solid(3000, 1500, '#336699'), 'scan.jpg');
      expect(f).toMatchObject({ width: 2048, height: 1024 });
      const main = await sharp((await env.as('wangge', { method: 'GET', url: f.url })).rawPayload).metadata();
      expect([main.width, main.height]).toEqual([2048, 1024]);
      const thumb = await sharp((await env.as('wangge', { method: 'GET', url: f.thumbUrl! })).rawPayload).metadata();
      expect([thumb.width, thumb.height]).toEqual([320, 160]);
    });

    it('keeps a PNG with transparency as PNG and accepts WebP and GIF by content', async () => {
      const png = await sharp({ create: { width: 50, height: 40, channels: 4, background: '#ff000080' } })
        .png()
        .toBuffer();
      const webp = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#00ff00' } })
        .webp()
        .toBuffer();
      const gif = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#0000ff' } })
        .gif()
        .toBuffer();
      const res = await upload('wangge', [
        { name: 'file', filename: 'a.png', data: png },
        // The names lie; the content decides.
        { name: 'file', filename: 'b.jpg', data: webp },
        { name: 'file', filename: 'c.pdf', data: gif },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      const items = (res.json() as { items: FileView[] }).items;
      expect(items.map((i) => [i.mime, i.width, i.height])).toEqual([
        ['image/png', 50, 40],
        ['image/jpeg', 30, 30],
        // GIF has a palette with transparency: kept as PNG.
        ['image/png', 20, 10],
      ]);
      expect(
        (await sharp((await env.as('wangge', { method: 'GET', url: items[0]!.url })).rawPayload).metadata()).hasAlpha,
      ).toBe(true);
    });

    it('keeps a PDF as sent, offered for download, without a thumbnail', async () => {
      const f = await uploadOne('wangge', PDF, '低保证明.pdf');
      expect(f).toMatchObject({
        kind: 'document',
        mime: 'application/pdf',
        thumbUrl: null,
        width: null,
        size: PDF.length,
      });
      const res = await env.as('wangge', { method: 'GET', url: f.url });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(PDF)).toBe(true);
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('低保证明.pdf'));
      const thumb = await env.as('wangge', { method: 'GET', url: `/api/files/${f.id}/thumb` });
      expect(thumb.statusCode).toBe(404);
      expect(thumb.json().code).toBe('FILE_NOT_FOUND');
    });

    it('stores the same content once (dedupe by hash), as two files', async () => {
      const img = await solid(500, 300, '#abcdef');
      const a = await uploadOne('wangge', img, 'one.jpg');
      const blobsAfterFirst = await blobs();
      const b = await uploadOne('shequ', img, 'two.jpg');
      expect(b.id).not.toBe(a.id);
      expect(await blobs()).toEqual(blobsAfterFirst);
      const rows = await env.db.query<{ sha256: string; thumb_sha256: string }>(
        'SELECT sha256, thumb_sha256 FROM files WHERE public_id = ANY($1::text[])',
        [[a.id, b.id]],
      );
      expect(rows).toHaveLength(2);
      expect(rows[0]).toEqual(rows[1]);
      expect(blobsAfterFirst).toContain(rows[0]!.sha256);
      expect(blobsAfterFirst).toContain(rows[0]!.thumb_sha256);
    });

    it('keeps blobs sealed at rest, never as plain image bytes', async () => {
      await uploadOne('wangge', await solid(64, 64, '#123456'), 'sealed.jpg');
      const walk = (d: string): string[] =>
        fs
          .readdirSync(d, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
      const filesOnDisk = walk(env.filesDir);
      expect(filesOnDisk.length).toBeGreaterThan(0);
      for (const p of filesOnDisk) {
        expect(path.relative(env.filesDir, p)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
        const head = fs.readFileSync(p).subarray(0, 7).toString('latin1');
        expect(head).toBe('LNLSEAL');
      }
    });
  });

  describe('bad input: a clear error naming the file, and nothing stored', () => {
    const refused = async (parts: Part[], status: number, code: string, name?: string) => {
      const rows = await fileRows();
      const stored = await blobs();
      const res = await upload('wangge', parts);
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json() as { code: string; message: string; field: string };
      expect(body.code).toBe(code);
      expect(body.field).toBe('file');
      if (name) expect(body.message).toContain(name);
      expect(await fileRows()).toBe(rows);
      expect(await blobs()).toEqual(stored);
      return body;
    };

    it('a text file named .jpg', async () => {
      await refused(
        [{ name: 'file', filename: 'holiday.jpg', data: Buffer.from('not a picture at all\n'.repeat(20)) }],
        415,
        'FILE_TYPE_UNSUPPORTED',
        'holiday.jpg',
      );
    });

    it('an empty file', async () => {
      await refused([{ name: 'file', filename: 'empty.jpg', data: Buffer.alloc(0) }], 415, 'FILE_TYPE_UNSUPPORTED');
    });

    it('a truncated image', async () => {
      const whole = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#804020' } })
        .jpeg({ quality: 95 })
        .toBuffer();
      await refused(
        [{ name: 'file', filename: 'cut.jpg', data: whole.subarray(0, Math.floor(whole.length / 2)) }],
        400,
        'FILE_UNREADABLE',
        'cut.jpg',
      );
      const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#102030' } })
        .png()
        .toBuffer();
      await refused(
        [{ name: 'file', filename: 'cut.png', data: png.subarray(0, png.length - 40) }],
        400,
        'FILE_UNREADABLE',
        'cut.png',
      );
    });

    it('a truncated PDF', async () => {
      await refused(
        [{ name: 'file', filename: 'cut.pdf', data: PDF.subarray(0, 40) }],
        400,
        'FILE_UNREADABLE',
        'cut.pdf',
      );
    });

    it('a 50 MB photo', async () => {
      const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
      (await solid(10, 10, '#000')).copy(big);
      const body = await refused(
        [{ name: 'file', filename: 'huge.jpg', data: big }],
        413,
        'FILE_TOO_LARGE',
        'huge.jpg',
      );
      expect(body.message).toContain('15 MB');
    });

    it('a decompression bomb: 30000×30000 pixels in a small PNG', async () => {
      const bomb = pngBomb();
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
      expect([meta.width, meta.height]).toEqual([30000, 30000]);
      const body = await refused(
        [{ name: 'file', filename: 'bomb.png', data: bomb }],
        400,
        'FILE_IMAGE_TOO_LARGE',
        'bomb.png',
      );
      expect(body.message).toContain('30000×30000');
    });

    it('20 photos where 9 are allowed', async () => {
      const img = await solid(40, 40, '#445566');
      const parts = Array.from({ length: 20 }, (_, i) => ({ name: 'file', filename: `p${i}.jpg`, data: img }));
      const body = await refused(parts, 400, 'FILE_TOO_MANY');
      expect(body.message).toContain(String(DEFAULT_FILE_LIMITS.maxFilesPerRequest));
      // The positive control: nine are taken.
      const ok = await upload('wangge', parts.slice(0, 9));
      expect(ok.statusCode, ok.body).toBe(201);
      expect((ok.json() as { items: unknown[] }).items).toHaveLength(9);
    });

    it('a good photo beside a bad one: neither is kept', async () => {
      await refused(
        [
          { name: 'file', filename: 'good.jpg', data: await solid(33, 33, '#778899') },
          { name: 'file', filename: 'bad.jpg', data: Buffer.from('GIF89a but not really') },
        ],
        400,
        'FILE_UNREADABLE',
        'bad.jpg',
      );
    });

    it('an iPhone HEIC photo this build cannot read', async () => {
      const heic = Buffer.concat([
        Buffer.from([0, 0, 0, 0x18]),
        Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
        Buffer.alloc(200, 7),
      ]);
      const body = await refused(
        [{ name: 'file', filename: 'IMG_4242.HEIC', data: heic }],
        415,
        'FILE_HEIC_UNSUPPORTED',
        'IMG_4242.HEIC',
      );
      expect(body.message).toContain('JPEG');
    });

    it('more unattached uploads than a user may hold', async () => {
      // An app of the same installation whose users may hold two unattached uploads.
      const limited = await buildApp({
        db: env.db,
        pii: env.pii,
        broker: null,
        jobs: createJobs(env.db),
        files: { dir: env.filesDir, limits: { maxPendingPerUser: 2 } },
      });
      try {
        const user = await buildUser(env, { role: 'grid_worker', nodeId: env.ids.grid! });
        const cookie = await newSession(env, user);
        const photo = (i: number) => solid(10 + i, 10, '#5a5a5a');
        const post = async (parts: Part[]) => {
          const body = multipart(parts);
          return limited.inject({
            method: 'POST',
            url: '/api/files',
            payload: body.payload,
            headers: { ...body.headers, cookie, origin: OWN_ORIGIN },
          });
        };
        expect((await post([{ name: 'file', filename: 'a.jpg', data: await photo(1) }])).statusCode).toBe(201);
        const rows = await fileRows();
        const refused = await post([
          { name: 'file', filename: 'b.jpg', data: await photo(2) },
          { name: 'file', filename: 'c.jpg', data: await photo(3) },
        ]);
        expect(refused.statusCode).toBe(429);
        expect(refused.json()).toMatchObject({ code: 'FILE_PENDING_LIMIT', field: 'file' });
        expect(await fileRows()).toBe(rows);
        expect((await post([{ name: 'file', filename: 'b.jpg', data: await photo(2) }])).statusCode).toBe(201);
      } finally {
        await limited.close();
      }
    });

    it('a request without a file', async () => {
      const res = await env.as('wangge', {
        method: 'POST',
        url: '/api/files',
        ...multipart([{ name: 'other', filename: 'x.jpg', data: await solid(5, 5, '#000') }]),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('FILE_REQUIRED');
    });
  });

  describe('who may read a file', () => {
    const get = (user: string | null, url: string) => env.as(user, { method: 'GET', url });

    it('an unattached upload: only its uploader', async () => {
      const f = await uploadOne('wangge', await solid(20, 20, '#010203'));
      expect((await get('wangge', f.url)).statusCode).toBe(200);
      for (const user of ['shequ', 'admin', 'louzhang', 'jumin']) {
        const res = await get(user, f.url);
        expect(res.statusCode, user).toBe(404);
        expect(res.json().code).toBe('FILE_NOT_FOUND');
      }
      expect((await get(null, f.url)).statusCode).toBe(401);
    });

    it('an attached file: whoever may read the resident’s attachments, nobody else; unknown ids look the same', async () => {
      const f = await uploadOne('wangge', await solid(20, 20, '#040506'));
      const res = await attach('wangge', gridResident, [f.id]);
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { items: FileView[] }).items.map((i) => [i.id, i.attached])).toContainEqual([f.id, true]);

      for (const user of ['wangge', 'shequ', 'jiedao', 'admin']) {
        expect((await get(user, f.url)).statusCode, user).toBe(200);
        expect((await get(user, f.thumbUrl!)).statusCode, user).toBe(200);
      }
      for (const user of ['louzhang', 'jumin', 'bumen', 'zhiyuan']) {
        const r = await get(user, f.url);
        expect(r.statusCode, user).toBe(404);
        expect(r.json().code).toBe('FILE_NOT_FOUND');
        expect((await get(user, f.thumbUrl!)).statusCode, user).toBe(404);
      }
      const unknown = await get('admin', '/api/files/AAAAAAAAAAAAAAAAAAAAAA');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('FILE_NOT_FOUND');
      // The serial id is no way in.
      expect((await get('admin', '/api/files/1')).statusCode).toBe(400);
    });

    it('a file of a resident outside the caller’s grid is not found, beside one inside', async () => {
      const f = await uploadOne('shequ', await solid(20, 20, '#070809'));
      expect((await attach('shequ', otherGridResident, [f.id])).statusCode).toBe(200);
      expect((await get('shequ', f.url)).statusCode).toBe(200);
      const r = await get('wangge', f.url);
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('FILE_NOT_FOUND');
    });
  });

  describe('resident attachments', () => {
    it('attaches, lists and removes (audited); the blob goes when nothing shares it', async () => {
      const img = await solid(70, 50, '#0a0b0c');
      const f = await uploadOne('wangge', img, '低保证明.jpg');
      const res = await attach('wangge', gridResident, [f.id]);
      expect(res.statusCode, res.body).toBe(200);
      const list = await env.as('wangge', { method: 'GET', url: `/api/people/residents/${gridResident}/attachments` });
      expect((list.json() as { items: FileView[] }).items.map((i) => i.name)).toContain('低保证明.jpg');
      // Attaching it again changes nothing.
      expect((await attach('wangge', gridResident, [f.id])).statusCode).toBe(200);
      const audit = await env.db.query<{ action: string; diff: unknown }>(
        `SELECT action, diff FROM audit_log WHERE target_type = 'resident' AND target_id = $1 AND action LIKE 'resident.file%'
         ORDER BY id`,
        [String(gridResident)],
      );
      expect(audit.filter((a) => JSON.stringify(a.diff).includes('低保证明.jpg')).map((a) => a.action)).toEqual([
        'resident.file_add',
      ]);

      const [row] = await env.db.query<{ sha256: string; thumb_sha256: string }>(
        'SELECT sha256, thumb_sha256 FROM files WHERE public_id = $1',
        [f.id],
      );
      const del = await env.as('wangge', {
        method: 'DELETE',
        url: `/api/people/residents/${gridResident}/attachments/${f.id}`,
      });
      expect(del.statusCode, del.body).toBe(200);
      expect((del.json() as { items: FileView[] }).items.map((i) => i.id)).not.toContain(f.id);
      expect((await env.as('wangge', { method: 'GET', url: f.url })).statusCode).toBe(404);
      expect(await env.db.query('SELECT 1 FROM files WHERE public_id = $1', [f.id])).toHaveLength(0);
      const stored = await blobs();
      expect(stored).not.toContain(row!.sha256);
      expect(stored).not.toContain(row!.thumb_sha256);
      const removed = await env.db.query<{ diff: unknown }>(
        `SELECT diff FROM audit_log WHERE action = 'resident.file_remove' AND target_id = $1`,
        [String(gridResident)],
      );
      expect(JSON.stringify(removed.map((r) => r.diff))).toContain('低保证明.jpg');
    });

    it('removing one of two uploads of the same content keeps the shared blob', async () => {
      const img = await solid(71, 51, '#0d0e0f');
      const a = await uploadOne('wangge', img);
      const b = await uploadOne('wangge', img);
      expect((await attach('wangge', gridResident, [a.id, b.id])).statusCode).toBe(200);
      await env.as('wangge', { method: 'DELETE', url: `/api/people/residents/${gridResident}/attachments/${a.id}` });
      const res = await env.as('wangge', { method: 'GET', url: b.url });
      expect(res.statusCode).toBe(200);
      expect((await sharp(res.rawPayload).metadata()).width).toBe(71);
    });

    it('refuses another user’s upload, a file of another record, and more than a record holds', async () => {
      const theirs = await uploadOne('shequ', await solid(21, 21, '#111111'));
      const r1 = await attach('wangge', gridResident, [theirs.id]);
      expect(r1.statusCode).toBe(404);
      expect(r1.json()).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'fileIds.0' });

      const mine = await uploadOne('shequ', await solid(22, 22, '#121212'));
      expect((await attach('shequ', otherGridResident, [mine.id])).statusCode).toBe(200);
      const r2 = await attach('shequ', gridResident, [mine.id]);
      expect(r2.statusCode).toBe(409);
      expect(r2.json().code).toBe('FILE_ALREADY_ATTACHED');

      // Fill the resident up to the limit of 30, then one more is refused and stays unattached.
      const [{ n }] = (await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM files WHERE attached_type = 'resident' AND attached_id = $1`,
        [gridResident],
      )) as [{ n: number }];
      const filler = await uploadOne('wangge', await solid(23, 23, '#131313'));
      const [src] = await env.db.query<Record<string, unknown>>('SELECT * FROM files WHERE public_id = $1', [
        filler.id,
      ]);
      for (let i = n; i < 30; i++) {
        await env.db.query(
          `INSERT INTO files (public_id, kind, sha256, mime, size, width, height, thumb_sha256, thumb_mime, thumb_size,
             original_name, uploaded_by, attached_type, attached_id, attached_at)
           VALUES ($1, 'image', $2, 'image/jpeg', 1, 23, 23, $3, 'image/jpeg', 1, 'fill.jpg', $4, 'resident', $5, now())`,
          [`fill${String(i).padStart(18, '0')}`, src!.sha256, src!.thumb_sha256, src!.uploaded_by, gridResident],
        );
      }
      const extra = await uploadOne('wangge', await solid(24, 24, '#141414'));
      const r3 = await attach('wangge', gridResident, [extra.id]);
      expect(r3.statusCode).toBe(400);
      expect(r3.json()).toMatchObject({ code: 'FILE_ATTACH_LIMIT', field: 'fileIds' });
      expect(r3.json().message).toContain('30');
      expect(
        (
          await env.db.query<{ t: string | null }>('SELECT attached_type AS t FROM files WHERE public_id = $1', [
            extra.id,
          ])
        )[0]!.t,
      ).toBeNull();
      await env.db.query(`DELETE FROM files WHERE public_id LIKE 'fill%'`);
    });

    it('refuses a building leader (no sensitive data) and a grid worker outside their grid', async () => {
      const f = await uploadOne('wangge', await solid(25, 25, '#151515'));
      const leader = await env.as('louzhang', {
        method: 'GET',
        url: `/api/people/residents/${gridResident}/attachments`,
      });
      expect(leader.statusCode).toBe(403);
      expect(leader.json().code).toBe('FORBIDDEN');
      const outside = await attach('wangge', otherGridResident, [f.id]);
      expect(outside.statusCode).toBe(404);
      expect(outside.json().code).toBe('RESIDENT_NOT_FOUND');
      expect(
        (
          await env.db.query<{ t: string | null }>('SELECT attached_type AS t FROM files WHERE public_id = $1', [f.id])
        )[0]!.t,
      ).toBeNull();
    });
  });

  describe('cleanup', () => {
    it('removes uploads unattached for a day with their blobs, and nothing else', async () => {
      const stale = await uploadOne('wangge', await solid(31, 31, '#313131'));
      const fresh = await uploadOne('wangge', await solid(32, 32, '#323232'));
      const kept = await uploadOne('wangge', await solid(33, 33, '#333333'));
      expect((await attach('wangge', gridResident, [kept.id])).statusCode).toBe(200);
      await env.db.query(
        `UPDATE files SET created_at = now() - interval '25 hours' WHERE public_id = ANY($1::text[])`,
        [[stale.id, kept.id]],
      );
      const [staleRow] = await env.db.query<{ sha256: string }>('SELECT sha256 FROM files WHERE public_id = $1', [
        stale.id,
      ]);
      // A blob no row refers to (a crash between writing it and committing its row).
      const orphan = 'f'.repeat(64);
      await store().put(orphan, Buffer.from('left behind'));

      // (The hourly job may have run meanwhile: what is asserted is the state, not this call's counts.)
      await service().sweep();
      const ids = (await env.db.query<{ id: string }>('SELECT public_id AS id FROM files')).map((r) => r.id);
      expect(ids).not.toContain(stale.id);
      expect(ids).toContain(fresh.id);
      expect(ids).toContain(kept.id);
      const stored = await blobs();
      expect(stored).not.toContain(staleRow!.sha256);
      expect(stored).not.toContain(orphan);
      expect((await env.as('wangge', { method: 'GET', url: stale.url })).statusCode).toBe(404);
      expect((await env.as('wangge', { method: 'GET', url: fresh.url })).statusCode).toBe(200);
      expect((await env.as('wangge', { method: 'GET', url: kept.url })).statusCode).toBe(200);
    });

    it('runs as the hourly job files.sweep', async () => {
      expect(env.jobs.names()).toContain(FILES_SWEEP_JOB);
      const stale = await uploadOne('wangge', await solid(34, 34, '#343434'));
      await env.db.query(`UPDATE files SET created_at = now() - interval '25 hours' WHERE public_id = $1`, [stale.id]);
      expect(await env.jobs.send(FILES_SWEEP_JOB, {})).not.toBeNull();
      // Wait for the job (polled, not timed): the stale upload goes.
      for (let i = 0; i < 200; i++) {
        if ((await env.db.query('SELECT 1 FROM files WHERE public_id = $1', [stale.id])).length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await env.db.query('SELECT 1 FROM files WHERE public_id = $1', [stale.id])).toHaveLength(0);
      expect((await env.as('wangge', { method: 'GET', url: stale.url })).statusCode).toBe(404);
    });
  });
});
