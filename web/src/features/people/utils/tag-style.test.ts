import { describe, expect, it } from 'vitest';
import { shortTagName, tagColor } from './tag-style';

describe('shortTagName', () => {
  it('drops the generic ending of a group name', () => {
    expect(['高龄老人', '独居老人', '残疾人', '低保户', '优抚对象', '留守儿童', '未成年人'].map(shortTagName)).toEqual([
      '高龄',
      '独居',
      '残疾',
      '低保',
      '优抚',
      '留守',
      '未成年',
    ]);
  });

  it('keeps names that would get too short', () => {
    expect(shortTagName('党员')).toBe('党员');
    expect(shortTagName('军人')).toBe('军人');
  });
});

describe('tagColor', () => {
  it('gives the same tag the same colour every time', () => {
    expect(tagColor('my_custom_tag')).toEqual(tagColor('my_custom_tag'));
    expect(tagColor('aged_80').preset).toBe('orange');
  });
});
