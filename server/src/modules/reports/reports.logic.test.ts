import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/errors.js';
import { type FormatCtx, formatRow, type ResidentRaw } from './reports.format.js';
import {
  BUILTIN_REPORTS,
  commonAncestorPath,
  comparePaths,
  contentDisposition,
  dimensionsFor,
  exportFileName,
  FIELD_CATALOGUE,
  MEASURE_CATALOGUE,
  neutraliseCell,
  outputColumns,
  type PlaceNode,
  packSegments,
  parseDefinition,
  placeOnPath,
  tagCodesOf,
  timeInShanghai,
} from './reports.logic.js';
import { GROUP_BYS, REPORT_ENTITIES } from './reports.schemas.js';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseDefinition', () => {
  for (const entity of REPORT_ENTITIES) {
    it(`accepts every catalogue field of a ${entity} list`, () => {
      const fields = Object.keys(FIELD_CATALOGUE[entity]);
      const def = parseDefinition({ entity, columns: fields.map((field) => ({ field })) });
      expect(def.columns.map((c) => c.field)).toEqual(fields);
      expect(def.filters).toEqual({});
    });

    for (const groupBy of GROUP_BYS) {
      it(`accepts every count and place column of a ${entity} count grouped by ${groupBy}`, () => {
        const fields = [...dimensionsFor(groupBy), ...Object.keys(MEASURE_CATALOGUE[entity])];
        const def = parseDefinition({
          entity,
          aggregate: 'count_by',
          groupBy,
          columns: fields.map((field) => ({ field })),
        });
        expect(def.columns).toHaveLength(fields.length);
      });
    }
  }

  it('accepts every built-in template', () => {
    for (const b of BUILTIN_REPORTS) expect(() => parseDefinition(b.definition), b.code).not.toThrow();
  });

  it('names an unknown column field by its position', () => {
    const err = errorOf(() =>
      parseDefinition({ entity: 'resident', columns: [{ field: 'name' }, { field: 'salary' }] }),
    );
    expect(err.code).toBe('REPORT_FIELD_UNKNOWN');
    expect(err.field).toBe('definition.columns.1.field');
    expect(err.params).toMatchObject({ name: 'salary', entity: 'resident' });
  });

  it('refuses a field of another entity', () => {
    const err = errorOf(() => parseDefinition({ entity: 'house', columns: [{ field: 'idNumber' }] }));
    expect([err.code, err.field]).toEqual(['REPORT_FIELD_UNKNOWN', 'definition.columns.0.field']);
  });

  it('refuses inherited object keys as fields', () => {
    const err = errorOf(() => parseDefinition({ entity: 'resident', columns: [{ field: 'constructor' }] }));
    expect(err.code).toBe('REPORT_FIELD_UNKNOWN');
  });

  it('refuses a field twice', () => {
    const err = errorOf(() => parseDefinition({ entity: 'resident', columns: [{ field: 'name' }, { field: 'name' }] }));
    expect([err.code, err.field]).toEqual(['REPORT_FIELD_DUPLICATE', 'definition.columns.1.field']);
  });

  it('refuses a count column in a list, and a list column in a count', () => {
    expect(errorOf(() => parseDefinition({ entity: 'resident', columns: [{ field: 'age60' }] })).field).toBe(
      'definition.columns.0.field',
    );
    const err = errorOf(() =>
      parseDefinition({ entity: 'resident', aggregate: 'count_by', groupBy: 'grid', columns: [{ field: 'name' }] }),
    );
    expect([err.code, err.field]).toEqual(['REPORT_FIELD_UNKNOWN', 'definition.columns.0.field']);
  });

  it('offers only places at or above the group in a count', () => {
    const err = errorOf(() =>
      parseDefinition({
        entity: 'resident',
        aggregate: 'count_by',
        groupBy: 'community',
        columns: [{ field: 'community' }, { field: 'grid' }, { field: 'total' }],
      }),
    );
    expect(err.field).toBe('definition.columns.1.field');
  });

  it('accepts tag counts for residents only', () => {
    const def = parseDefinition({
      entity: 'resident',
      aggregate: 'count_by',
      groupBy: 'grid',
      columns: [{ field: 'grid' }, { field: 'tag:disabled' }, { field: 'special' }],
    });
    expect(tagCodesOf(def).sort()).toEqual(['disabled', 'special_groups']);
    expect(
      errorOf(() =>
        parseDefinition({
          entity: 'house',
          aggregate: 'count_by',
          groupBy: 'grid',
          columns: [{ field: 'tag:disabled' }],
        }),
      ).field,
    ).toBe('definition.columns.0.field');
  });

  it('needs a grouping for a count', () => {
    const err = errorOf(() =>
      parseDefinition({ entity: 'resident', aggregate: 'count_by', columns: [{ field: 'total' }] }),
    );
    expect([err.code, err.field]).toEqual(['REPORT_GROUP_REQUIRED', 'definition.groupBy']);
  });

  it.each([
    [{ sex: 'x' }, 'definition.filters.sex'],
    [{ ageMin: -1 }, 'definition.filters.ageMin'],
    [{ ageMax: 30.5 }, 'definition.filters.ageMax'],
    [{ tagCodes: ['Bad Code'] }, 'definition.filters.tagCodes.0'],
    [{ tagCodes: [] }, 'definition.filters.tagCodes'],
    [{ houseUse: ['castle'] }, 'definition.filters.houseUse.0'],
    [{ status: 'asleep' }, 'definition.filters.status'],
    [{ nodeId: 0 }, 'definition.filters.nodeId'],
    [{ colour: 'red' }, 'definition.filters.colour'],
  ])('names a malformed filter %j', (filters, field) => {
    const err = errorOf(() => parseDefinition({ entity: 'resident', columns: [{ field: 'name' }], filters }));
    expect([err.code, err.field]).toEqual(['REPORT_DEFINITION_INVALID', field]);
  });

  it('names a filter that does not apply to the entity', () => {
    const err = errorOf(() =>
      parseDefinition({ entity: 'house', columns: [{ field: 'room' }], filters: { ageMin: 60 } }),
    );
    expect([err.code, err.field]).toEqual(['REPORT_FILTER_NOT_APPLICABLE', 'definition.filters.ageMin']);
    const hh = errorOf(() =>
      parseDefinition({ entity: 'household', columns: [{ field: 'householdNo' }], filters: { status: 'deceased' } }),
    );
    expect([hh.code, hh.field]).toEqual(['REPORT_DEFINITION_INVALID', 'definition.filters.status']);
  });

  it('refuses an age range upside down and a tag mode without tags', () => {
    const age = errorOf(() =>
      parseDefinition({ entity: 'resident', columns: [{ field: 'name' }], filters: { ageMin: 80, ageMax: 60 } }),
    );
    expect([age.code, age.field]).toEqual(['REPORT_AGE_RANGE_INVALID', 'definition.filters.ageMax']);
    const mode = errorOf(() =>
      parseDefinition({ entity: 'resident', columns: [{ field: 'name' }], filters: { tagMode: 'all' } }),
    );
    expect(mode.field).toBe('definition.filters.tagMode');
  });

  it('names the shape errors of the definition itself', () => {
    expect(errorOf(() => parseDefinition(null)).field).toBe('definition');
    expect(errorOf(() => parseDefinition({ columns: [{ field: 'name' }] })).field).toBe('definition.entity');
    expect(errorOf(() => parseDefinition({ entity: 'resident', columns: [] })).field).toBe('definition.columns');
    expect(errorOf(() => parseDefinition({ entity: 'resident', columns: [{ field: 'name', width: 3 }] })).field).toBe(
      'definition.columns.0.width',
    );
    expect(errorOf(() => parseDefinition({ entity: 'resident', columns: [{ label: 'x' }] })).field).toBe(
      'definition.columns.0.field',
    );
    expect(
      errorOf(() => parseDefinition({ entity: 'resident', columns: [{ field: 'name' }], groupBy: 'street' })).field,
    ).toBe('definition.groupBy');
  });

  it('sorts only by sortable fields, and never a count', () => {
    expect(parseDefinition({ entity: 'resident', columns: [{ field: 'name' }], sort: { field: 'age' } }).sort).toEqual({
      field: 'age',
      dir: 'asc',
    });
    const err = errorOf(() =>
      parseDefinition({ entity: 'resident', columns: [{ field: 'name' }], sort: { field: 'phone', dir: 'desc' } }),
    );
    expect([err.code, err.field]).toEqual(['REPORT_SORT_INVALID', 'definition.sort.field']);
  });
});

describe('neutraliseCell', () => {
  it('prefixes a single quote to anything a spreadsheet would read as a formula', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string(), (first, rest) => {
        const out = neutraliseCell(first + rest);
        expect(out.startsWith("'")).toBe(true);
        expect(out.slice(1)).toBe(first + rest);
      }),
    );
  });

  it('leaves every other text unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s)),
        (s) => {
          expect(neutraliseCell(s)).toBe(s);
        },
      ),
    );
  });

  it('neutralises the classic payloads', () => {
    expect(neutraliseCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCell('\t=1+1')).toBe("'\t=1+1");
    expect(neutraliseCell("\r=cmd|'/C calc'!A0")).toBe("'\r=cmd|'/C calc'!A0");
    expect(neutraliseCell('张三')).toBe('张三');
  });
});

describe('places and paths', () => {
  const nodes = new Map<number, PlaceNode>(
    (
      [
        [1, 'county', '泗源县'],
        [2, 'street', '泗源街道'],
        [3, 'community', '东关社区'],
        [4, 'grid', '第一网格'],
        [5, 'micro_grid', '1号微网格'],
        [6, 'building', '1号楼'],
        [7, 'unit', '1单元'],
      ] as const
    ).map(([id, type, name], i, all) => [
      id,
      {
        id,
        type,
        name,
        path: `/${all
          .slice(0, i + 1)
          .map((a) => a[0])
          .join('/')}/`,
      },
    ]),
  );

  it('finds each level on a path, skipping levels the path does not pass', () => {
    const path = '/1/2/3/4/5/6/7/';
    expect(placeOnPath(path, 'community', nodes)?.name).toBe('东关社区');
    expect(placeOnPath(path, 'grid', nodes)?.name).toBe('第一网格');
    expect(placeOnPath(path, 'unit', nodes)?.name).toBe('1单元');
    expect(placeOnPath('/1/2/3/4/', 'building', nodes)).toBeUndefined();
  });

  it('finds the deepest common ancestor of paths', () => {
    expect(commonAncestorPath(['/1/7/42/', '/1/7/43/'])).toBe('/1/7/');
    expect(commonAncestorPath(['/1/7/42/'])).toBe('/1/7/42/');
    expect(commonAncestorPath(['/1/', '/2/'])).toBeNull();
    expect(commonAncestorPath([])).toBeNull();
  });

  it('orders paths id by id, parents first, subtrees together', () => {
    const paths = ['/1/25/', '/1/4/7/', '/1/4/', '/1/25/3/', '/1/4/12/'];
    expect([...paths].sort(comparePaths)).toEqual(['/1/4/', '/1/4/7/', '/1/4/12/', '/1/25/', '/1/25/3/']);
  });

  it('packs paths into segments below the page size, a big path alone', () => {
    const counts = [
      { path: '/1/a/', n: 600 },
      { path: '/1/b/', n: 600 },
      { path: '/1/c/', n: 600 },
      { path: '/1/d/', n: 5000 },
      { path: '/1/e/', n: 10 },
    ];
    expect(packSegments(counts, 2000)).toEqual([['/1/a/', '/1/b/', '/1/c/'], ['/1/d/'], ['/1/e/']]);
    expect(packSegments([], 2000)).toEqual([]);
  });
});

describe('file names and times', () => {
  const at = new Date('2026-11-23T17:30:00Z'); // 01:30 on 24 November in Shanghai

  it('names the file by the template and the day in Shanghai', () => {
    expect(exportFileName('高龄老人名单', at)).toBe('高龄老人名单-20261124.xlsx');
    expect(exportFileName('a/b:c', at)).toBe('a_b_c-20261124.xlsx');
    expect(timeInShanghai(at)).toBe('2026-11-24 01:30');
  });

  it('sends the UTF-8 file name with an ASCII fallback', () => {
    const cd = contentDisposition('高龄老人名单-20261124.xlsx');
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('高龄老人名单')}-20261124.xlsx`);
    expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"/);
  });
});

describe('formatRow', () => {
  const row: ResidentRaw = {
    id: 1,
    node_path: '/1/',
    name: '张三明',
    sex: 'female',
    birth_date: '1940-03-05',
    ethnicity: '汉族',
    id_masked: '370323********001X',
    phone_masked: '138****5678',
    id_sealed: Buffer.from('sealed-id'),
    phone_sealed: null,
    hukou_address: null,
    current_address: '东关街1号',
    relation: 'head',
    status: 'active',
    room_no: '101',
    household_no: 'H1',
    tags: [
      { name: '高龄老人', sensitive: false },
      { name: '低保户', sensitive: true },
    ],
    contacts: [{ name: '李小红', relation: '女儿', phoneMasked: '139****0000' }],
  };
  const fields = ['name', 'sex', 'birthDate', 'age', 'idNumber', 'phone', 'relation', 'tags', 'contacts'];
  const base: FormatCtx = { nodes: new Map(), today: '2026-03-05', seesSensitive: () => true, reveal: null };

  it('shows masked numbers, labels and visible tags', () => {
    expect(formatRow('resident', fields, row, base)).toEqual([
      '张三明',
      '女',
      '1940-03-05',
      86,
      '370323********001X',
      '138****5678',
      '户主',
      '高龄老人、低保户',
      '李*红（女儿）139****0000',
    ]);
  });

  it('hides sensitive tags, full names and birthdays where the caller may not see them', () => {
    const cells = formatRow('resident', fields, row, { ...base, seesSensitive: () => false });
    expect(cells.slice(0, 3)).toEqual(['张*明', '女', '1940-**-**']);
    expect(cells[7]).toBe('高龄老人');
  });

  it('reveals sealed values only through the cipher it is given', () => {
    const cells = formatRow('resident', fields, row, { ...base, reveal: (s) => `open:${Buffer.from(s).toString()}` });
    expect(cells[4]).toBe('open:sealed-id');
    expect(cells[5]).toBe('138****5678');
  });
});

describe('outputColumns', () => {
  it('labels columns from the template, the catalogue or the tag name', () => {
    const def = parseDefinition({
      entity: 'resident',
      aggregate: 'count_by',
      groupBy: 'grid',
      columns: [{ field: 'grid', label: '所属网格' }, { field: 'total' }, { field: 'tag:disabled' }],
    });
    expect(outputColumns(def, new Map([['disabled', '残疾人']]))).toEqual([
      { key: 'grid', label: '所属网格' },
      { key: 'total', label: '总人口' },
      { key: 'tag:disabled', label: '残疾人' },
    ]);
    expect(outputColumns(def, new Map([['disabled', '残疾人']]), 'en')).toEqual([
      { key: 'grid', label: '所属网格' },
      { key: 'total', label: 'Residents' },
      { key: 'tag:disabled', label: '残疾人' },
    ]);
  });
});
