import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, actionLabel, fieldLabel, reasonText, TARGET_LABELS, targetLabel } from './audit-labels';

// The server's sources as text, tests and test helpers (server/src/test: the matrix's own probe entries) left out.
const serverFiles = import.meta.glob<string>(
  ['../../../../../server/src/**/*.ts', '!**/*.test.ts', '!../../../../../server/src/test/**'],
  {
    query: '?raw',
    import: 'default',
    eager: true,
  },
);
const serverSources = () => Object.values(serverFiles);

describe('audit labels', () => {
  const sources = serverSources();

  it('name every action code the server records', () => {
    const codes = new Set<string>();
    for (const text of sources) {
      for (const m of text.matchAll(/\baction: '([a-z_.]+)'/g)) codes.add(m[1]!);
      // helpers called with the action as an argument: audited(tx, ctx, 'tag.create', …)
      for (const m of text.matchAll(/\baudited\(\w+, \w+, '([a-z_.]+)'/g)) codes.add(m[1]!);
      for (const m of text.matchAll(/\? '(resident\.[a-z_]+)' : '(resident\.[a-z_]+)'/g)) {
        codes.add(m[1]!);
        codes.add(m[2]!);
      }
    }
    expect(codes.size).toBeGreaterThan(30);
    expect([...codes].filter((c) => !ACTION_LABELS[c]).sort()).toEqual([]);
  });

  it('name every target type the server records', () => {
    const types = new Set<string>();
    for (const text of sources) for (const m of text.matchAll(/\btargetType: '([a-z_]+)'/g)) types.add(m[1]!);
    expect(types.size).toBeGreaterThan(8);
    expect([...types].filter((t) => !TARGET_LABELS[t]).sort()).toEqual([]);
  });

  it('reads actions, targets and fields in the reader’s language, and unknown codes as they are', () => {
    expect(actionLabel('people.import', 'zh-CN')).toBe('导入居民');
    expect(actionLabel('user.create', 'en')).toBe('Account created');
    expect(actionLabel('future.thing', 'zh-CN')).toBe('future.thing');
    expect(targetLabel('org_node', 'zh-CN')).toBe('组织节点');
    expect(fieldLabel('currentAddress', 'zh-CN')).toBe('现住址');
  });

  it('shows reasons as text: the field a reveal was for by its label, a JSON reason as fields and values', () => {
    expect(reasonText('idNumber: 核实身份', 'zh-CN')).toBe('身份证号：核实身份');
    expect(reasonText('phone: call the family', 'en')).toBe('Phone: call the family');
    expect(reasonText('{"rowsRead":3,"note":"补录"}', 'zh-CN')).toBe('读取行数：3；note：补录');
    expect(reasonText('残联登记', 'zh-CN')).toBe('残联登记');
    expect(reasonText('{not json', 'zh-CN')).toBe('{not json');
    expect(reasonText(null, 'zh-CN')).toBe('');
  });
});
