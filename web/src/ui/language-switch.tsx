import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLang, LANGS, type Lang, setLanguage } from '../i18n';

type Props = {
  /** Called instead of the plain switch, e.g. to also save the choice on the account. */
  onSwitch?: (lang: Lang) => void | Promise<void>;
  size?: 'small' | 'middle' | 'large';
};

export function LanguageSwitch({ onSwitch, size = 'small' }: Props) {
  const { t } = useTranslation();
  return (
    <Segmented<Lang>
      size={size}
      aria-label={t('lang.label')}
      value={currentLanguage()}
      options={LANGS.map((lang) => ({ value: lang, label: t(`lang.${lang}`) }))}
      onChange={(value) => {
        if (isLang(value)) void (onSwitch ?? setLanguage)(value);
      }}
    />
  );
}
