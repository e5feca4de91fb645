import { describe, expect, it } from 'vitest';
import type { ReportTemplate } from '../../../api-types';
import { columnLabel, type EditorValues, editorField, fromTemplate, toDefinition } from './definition';

const RESIDENT_FILTERS = ['tagCodes', 'tagMode', 'ageMin', 'ageMax', 'sex', 'status', 'houseUse', 'nodeId'];

const base: EditorValues = { name: '名单', entity: 'resident', kind: 'list', columns: ['name', 'age'] };

describe('toDefinition', () => {
  it('leaves out empty filters and keeps an age of zero', () => {
    expect(toDefinition({ ...base, tagCodes: [], ageMin: 0, sex: null }, RESIDENT_FILTERS)).toEqual({
      entity: 'resident',
      columns: [{ field: 'name' }, { field: 'age' }],
      filters: { ageMin: 0 },
    });
  });

  it('drops filters the entity does not take', () => {
    const def = toDefinition({ ...base, entity: 'house', ageMin: 60, houseUse: ['rented'] }, ['houseUse', 'nodeId']);
    expect(def.filters).toEqual({ houseUse: ['rented'] });
  });

  it('makes a count report with its group and no sort', () => {
    const def = toDefinition(
      { ...base, kind: 'count', groupBy: 'grid', columns: ['grid', 'total'], sortField: 'name' },
      RESIDENT_FILTERS,
    );
    expect(def).toEqual({
      entity: 'resident',
      columns: [{ field: 'grid' }, { field: 'total' }],
      groupBy: 'grid',
      aggregate: 'count_by',
    });
  });

  it('sends the tag mode only with tags, and keeps labels the template set', () => {
    const def = toDefinition(
      { ...base, tagCodes: ['aged_80', 'disabled'], tagMode: 'all', sortField: 'age', sortDir: 'desc' },
      RESIDENT_FILTERS,
      { age: '周岁' },
    );
    expect(def.filters).toEqual({ tagCodes: ['aged_80', 'disabled'], tagMode: 'all' });
    expect(def.columns).toEqual([{ field: 'name' }, { field: 'age', label: '周岁' }]);
    expect(def.sort).toEqual({ field: 'age', dir: 'desc' });
  });
});

describe('fromTemplate', () => {
  it('round-trips a built-in template', () => {
    const template: ReportTemplate = {
      id: 1,
      code: 'special_groups_roster',
      name: '特殊人群花名册',
      description: null,
      builtin: true,
      definition: {
        entity: 'resident',
        columns: [{ field: 'grid' }, { field: 'name' }, { field: 'tags', label: '特殊人群类别' }],
        filters: { tagCodes: ['special_groups'] },
        groupBy: 'grid',
      },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const { values, labels } = fromTemplate(template);
    expect(toDefinition(values, RESIDENT_FILTERS, labels)).toEqual(template.definition);
  });
});

describe('editorField', () => {
  it('names the form field of a server error', () => {
    expect(editorField('definition.columns.2.field')).toBe('columns');
    expect(editorField('definition.filters.ageMax')).toBe('ageMax');
    expect(editorField('definition.sort.field')).toBe('sortField');
    expect(editorField('definition.aggregate')).toBe('kind');
    expect(editorField('name')).toBe('name');
    expect(editorField('definition.filters.unknown')).toBeNull();
    expect(editorField(undefined)).toBeNull();
  });
});

describe('columnLabel', () => {
  const catalogue = {
    entities: [
      {
        entity: 'resident' as const,
        label: '人口',
        labelEn: 'Residents',
        fields: [{ field: 'name', label: '姓名', labelEn: 'Name', pii: false, sortable: true }],
        measures: [{ field: 'total', label: '总人口', labelEn: 'Residents', pii: false, sortable: false }],
        filters: [],
      },
    ],
    groupBy: [],
  };

  it('shows the English label of a catalogue column in English', () => {
    expect(columnLabel(catalogue, 'resident', { key: 'name', label: '姓名' }, 'en')).toBe('Name');
    expect(columnLabel(catalogue, 'resident', { key: 'total', label: '总人口' }, 'en')).toBe('Residents');
  });

  it('keeps labels a template set itself, and everything in Chinese', () => {
    expect(columnLabel(catalogue, 'resident', { key: 'name', label: '老人姓名' }, 'en')).toBe('老人姓名');
    expect(columnLabel(catalogue, 'resident', { key: 'name', label: '姓名' }, 'zh-CN')).toBe('姓名');
  });
});
