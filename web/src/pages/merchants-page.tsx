import { useParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { MerchantDetailView, MerchantsList } from '../features/merchants/merchants-views';
import { NotFoundPage } from './page-guard';

/** 兑换商户 (/points/merchants). */
export function MerchantsPage() {
  const access = useAccess();
  return <MerchantsList canManage={access.canManagePoints} />;
}

/** One merchant (/points/merchants/:id). */
export function MerchantPage() {
  const raw = useParams().id ?? '';
  if (!/^\d{1,15}$/.test(raw)) return <NotFoundPage />;
  return <MerchantDetailView key={raw} id={Number(raw)} />;
}
