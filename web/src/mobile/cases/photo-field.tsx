import { ImageUploader, type ImageUploadItem, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { uploadPhoto } from './use-phone-cases';

/** Photos a case or one of its steps may carry (the server's attachment limit). */
export const CASE_PHOTOS = 9;

export type PhotoItem = ImageUploadItem & { extra: { id: string } };

export const fileIdsOf = (items: readonly ImageUploadItem[]): string[] =>
  items.flatMap((i) => (typeof (i.extra as { id?: unknown } | undefined)?.id === 'string' ? [i.extra.id] : []));

/**
 * Taken or chosen photos, each shrunk on the phone (a ≤ 2048 px JPEG, web/src/ui/compress-image.ts) and uploaded
 * as soon as it is picked (POST /api/files); the form sends their ids. `onBusy` tells whether uploads are running.
 */
export function PhotoField({
  value,
  onChange,
  onBusy,
  testId,
}: {
  value: ImageUploadItem[];
  onChange: (items: ImageUploadItem[]) => void;
  onBusy?: (busy: boolean) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const upload = async (file: File): Promise<PhotoItem> => {
    try {
      const f = await uploadPhoto(file);
      return { key: f.id, url: f.thumbUrl ?? f.url, extra: { id: f.id } };
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
      throw error;
    }
  };
  return (
    <div data-testid={testId}>
      <ImageUploader
        value={value}
        onChange={onChange}
        upload={upload}
        multiple
        maxCount={CASE_PHOTOS}
        accept="image/*"
        onCountExceed={(n) => Toast.show({ content: t('mobileCases.photosTooMany', { limit: CASE_PHOTOS, over: n }) })}
        onUploadQueueChange={(tasks) => onBusy?.(tasks.some((task) => task.status === 'pending'))}
      />
    </div>
  );
}
