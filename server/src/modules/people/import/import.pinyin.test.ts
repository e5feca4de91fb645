import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namePinyin } from '../people.logic.js';
import { createNamePinyin } from './import.pinyin.js';

// Common name characters, with polyphones (曾 单 乐 长 行 重 朴 解 仇 …) and a few non-Chinese characters.
const CHARS = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭曾单乐长行重朴解仇区查覃缪翟盖过那欧阳万俟尉迟伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超红泽华·A',
];

describe('namePinyin', () => {
  it('reads a surname as a surname', () => {
    const read = (n: string) => Object.values(namePinyin(n)).join(' ');
    expect(read('曾国藩')).toBe('zengguofan zgf');
    expect(read('单雄信')).toBe('shanxiongxin sxx');
    expect(read('区小华')).toBe('ouxiaohua oxh');
    expect(read('万俟明')).toBe('moqiming mqm');
    expect(read('张三')).toBe('zhangsan zs');
    // Only the surname: 曾经 inside a given name keeps its ordinary reading.
    expect(read('王曾')).toBe('wangceng wc');
  });
});

describe('createNamePinyin', () => {
  it('gives exactly what namePinyin gives, for any name', () => {
    const fast = createNamePinyin(50);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 4 }), (chars) => {
        const name = chars.join('');
        expect(fast(name)).toEqual(namePinyin(name));
      }),
      { numRuns: 500 },
    );
  });
});
