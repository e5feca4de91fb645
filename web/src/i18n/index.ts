import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

declare module 'i18next' {
  // module augmentation needs an interface: it makes every t('key') checked against the zh-CN tree
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'linli_lang';
const COOKIE = 'linli_lang';

export function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en';
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** The language the user chose explicitly on this browser, if any. */
export function storedLanguage(): Lang | null {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage can be unavailable (private mode); the cookie still carries the choice
  }
  if (isLang(stored)) return stored;
  const cookie = readCookie(COOKIE);
  return isLang(cookie) ? cookie : null;
}

function detectLanguage(): Lang {
  const stored = storedLanguage();
  if (stored) return stored;
  // zh-CN first: only a browser that asks for English and not Chinese gets English
  const wanted = navigator.languages ?? [navigator.language];
  const firstZh = wanted.findIndex((l) => l.toLowerCase().startsWith('zh'));
  const firstEn = wanted.findIndex((l) => l.toLowerCase().startsWith('en'));
  return firstEn >= 0 && (firstZh < 0 || firstEn < firstZh) ? 'en' : 'zh-CN';
}

export function currentLanguage(): Lang {
  return isLang(i18n.language) ? i18n.language : 'zh-CN';
}

/** Switches the UI language and remembers it (localStorage and the `linli_lang` cookie the server reads). */
export async function setLanguage(lang: Lang): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // see storedLanguage
  }
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser the console supports
  document.cookie = `${COOKIE}=${encodeURIComponent(lang)}; path=/; max-age=31536000; SameSite=Lax`;
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

export function initI18n(): typeof i18n {
  const lang = detectLanguage();
  document.documentElement.lang = lang;
  void i18n.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: lang,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  return i18n;
}

export { i18n };
