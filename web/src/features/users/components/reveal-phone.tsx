import { useTranslation } from 'react-i18next';
import { RevealValue } from '../../../ui/reveal-value';
import { useRevealPhone } from '../hooks/use-users';

type Props = { userId: number; masked: string };

/** Shows the masked number; with a stated reason (audited by the server) shows the full one. */
export function RevealPhone({ userId, masked }: Props) {
  const { t } = useTranslation();
  const reveal = useRevealPhone();
  return (
    <RevealValue
      masked={masked}
      what={t('users.revealWhat')}
      onReveal={async (reason) => (await reveal.mutateAsync({ id: userId, reason })).value}
      data-testid="revealed-phone"
    />
  );
}
