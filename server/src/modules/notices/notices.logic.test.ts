import { describe, expect, it } from 'vitest';
import { bodyFileIds, canMove, excerpt, hasContent, isTargeted, publicBody, sanitizeBody } from './notices.logic.js';

const FILE = 'AbCdEfGhIjKlMnOpQrStUv';

describe('sanitizeBody', () => {
  it('keeps the allowlisted formatting and images of the file store', () => {
    const html = sanitizeBody(
      `<h2>标题</h2><p><strong>加粗</strong><em>斜体</em></p><ul><li>一</li></ul><img src="/api/files/${FILE}" alt="图">`,
    );
    expect(html).toBe(
      `<h2>标题</h2><p><strong>加粗</strong><em>斜体</em></p><ul><li>一</li></ul><img src="/api/files/${FILE}" alt="图" />`,
    );
  });

  it('removes scripts, event handlers, styles, frames, javascript: and data: links, and foreign images', () => {
    const html = sanitizeBody(
      '<p style="color:red" onmouseover="x()">a<script>alert(1)</script></p><iframe src="//evil"></iframe>' +
        '<a href="javascript:alert(1)">j</a><a href="data:text/html,x">d</a><img src="https://evil.example/t.gif">' +
        '<img src="/api/files/short"><svg onload="x()"></svg><object data="x"></object>',
    );
    expect(html).not.toMatch(/script|onmouseover|style|iframe|javascript|data:|evil|short|svg|object/);
    expect(html).toContain('<p>a</p>');
  });

  it('opens links in a new tab without an opener', () => {
    expect(sanitizeBody('<a href="https://www.gov.cn/">x</a>')).toBe(
      '<a href="https://www.gov.cn/" rel="noopener noreferrer" target="_blank">x</a>',
    );
  });
});

describe('body helpers', () => {
  it('finds the files the images use, serves them through the public route, and tells empty bodies', () => {
    const html = sanitizeBody(`<p>x</p><img src="/api/files/${FILE}"><img src="/api/files/${FILE}/thumb">`);
    expect(bodyFileIds(html)).toEqual([FILE]);
    expect(publicBody(html, 7)).toContain(`src="/api/public/notices/7/files/${FILE}"`);
    expect(publicBody(html, 7)).toContain(`src="/api/public/notices/7/files/${FILE}/thumb"`);
    expect(hasContent(sanitizeBody('<p> </p><script>x</script>'))).toBe(false);
    expect(hasContent(sanitizeBody(`<img src="/api/files/${FILE}">`))).toBe(true);
    expect(excerpt('<p>一&amp;二</p><p>三</p>', 4)).toBe('一&二 …');
  });
});

describe('the workflow', () => {
  it('moves draft → submitted → approved → published → withdrawn, and only so', () => {
    expect(canMove('submit', 'draft')).toBe(true);
    expect(canMove('approve', 'submitted')).toBe(true);
    expect(canMove('approve', 'draft')).toBe(false);
    expect(canMove('reject', 'approved')).toBe(false);
    expect(canMove('publish', 'approved')).toBe(true);
    expect(canMove('withdraw', 'published')).toBe(true);
    expect(canMove('withdraw', 'draft')).toBe(false);
    expect(canMove('edit', 'submitted')).toBe(false);
  });
});

describe('isTargeted', () => {
  const notice = { nodePath: '/1/2/', tagIds: [5, 6] };
  it('needs the area and, when the notice names tags, one of them', () => {
    expect(isTargeted(notice, '/1/2/3/', [6])).toBe(true);
    expect(isTargeted(notice, '/1/2/3/', [7])).toBe(false);
    expect(isTargeted(notice, '/1/20/', [5])).toBe(false);
    expect(isTargeted({ nodePath: '/1/2/', tagIds: [] }, '/1/2/', [])).toBe(true);
  });
});
