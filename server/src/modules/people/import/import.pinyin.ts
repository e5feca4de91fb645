/**
 * Pinyin of names at import speed. people.logic's namePinyin segments the whole name against a phrase
 * dictionary (about 10 µs a name); a county register has hundreds of thousands of distinct names. A character
 * with one reading reads the same in every phrase, so a name made only of such characters is the
 * concatenation of its characters' pinyin — exactly what namePinyin returns, at a table lookup per character.
 * Names with a polyphonic character (曾, 单, 乐, 长 …) or anything unusual still go through namePinyin,
 * cached per distinct name.
 */
import { pinyin } from 'pinyin-pro';
import { namePinyin } from '../people.logic.js';

type CharPinyin = { full: string; initials: string; single: boolean };
export type NamePinyin = { full: string; initials: string };

const IDEOGRAPH = /^[\u4e00-\u9fff]$/;

export function createNamePinyin(maxCachedNames = 100_000): (name: string) => NamePinyin {
  // By UTF-16 code unit: name[i] would make a new one-character string for every CJK character of every name.
  const chars = new Map<number, CharPinyin>();
  const names = new Map<string, NamePinyin>();

  const charPinyin = (code: number): CharPinyin => {
    let c = chars.get(code);
    if (!c) {
      const ch = String.fromCharCode(code);
      let single = false;
      if (IDEOGRAPH.test(ch)) {
        const readings = pinyin(ch, { multiple: true, type: 'array', toneType: 'none', v: true }) as string[];
        const asSurname = pinyin(ch, { type: 'array', toneType: 'none', v: true, surname: 'head' }) as string[];
        // One reading, and the same when the character is a surname.
        const all = new Set([...readings, ...asSurname].map((r) => r.toLowerCase()));
        single = all.size === 1;
      }
      c = { ...namePinyin(ch), single };
      chars.set(code, c);
    }
    return c;
  };

  return (name) => {
    let full = '';
    let initials = '';
    let fast = true;
    for (let i = 0; i < name.length; i++) {
      const c = charPinyin(name.charCodeAt(i));
      if (!c.single) {
        fast = false;
        break;
      }
      full += c.full;
      initials += c.initials;
    }
    if (fast) return { full, initials };
    let r = names.get(name);
    if (!r) {
      r = namePinyin(name);
      if (names.size >= maxCachedNames) names.clear();
      names.set(name, r);
    }
    return r;
  };
}
