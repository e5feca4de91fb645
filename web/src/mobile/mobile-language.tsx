import { Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLang, LANGS, type Lang } from '../i18n';

type Props = { onSwitch: (lang: Lang) => void | Promise<void> };

export function MobileLanguage({ onSwitch }: Props) {
  const { t } = useTranslation();
  return (
    <Selector<Lang>
      aria-label={t('lang.label')}
      columns={2}
      showCheckMark={false}
      value={[currentLanguage()]}
      options={LANGS.map((lang) => ({ value: lang, label: t(`lang.${lang}`) }))}
      onChange={([lang]) => {
        if (isLang(lang)) void onSwitch(lang);
      }}
    />
  );
}
