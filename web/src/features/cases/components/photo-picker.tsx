import { PlusOutlined } from '@ant-design/icons';
import { App, Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUploadCasePhotos } from '../hooks/use-cases';

export const CASE_PHOTOS_MAX = 9;
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic,image/heif,.heic,.heif';

type Props = {
  /** Uploaded files: `uid` is the server's file id once uploaded. */
  value?: UploadFile[];
  onChange?: (files: UploadFile[]) => void;
};

/**
 * Photos for a report or a step of a case: each picked photo is shrunk in the browser and uploaded at once
 * (POST /api/files); the form sends the ids, and the server attaches them to the case's timeline.
 */
export function PhotoPicker({ value = [], onChange }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadCasePhotos();
  return (
    <Upload
      accept={ACCEPT}
      multiple
      listType="picture-card"
      fileList={value}
      onRemove={(file) => onChange?.(value.filter((f) => f.uid !== file.uid))}
      beforeUpload={(file, list) => {
        // called once per chosen file: upload the whole choice with the last one
        if (file !== list[list.length - 1]) return false;
        const room = CASE_PHOTOS_MAX - value.length;
        if (list.length > room) {
          message.error(t('files.tooMany', { limit: CASE_PHOTOS_MAX }));
          return false;
        }
        const pending: UploadFile[] = list.map((f) => ({ uid: f.uid, name: f.name, status: 'uploading' }));
        onChange?.([...value, ...pending]);
        upload.mutateAsync(list).then(
          (r) =>
            onChange?.([
              ...value,
              ...r.items.map(
                (f): UploadFile => ({
                  uid: f.id,
                  name: f.name,
                  status: 'done',
                  url: f.url,
                  thumbUrl: f.thumbUrl ?? f.url,
                }),
              ),
            ]),
          (error: unknown) => {
            onChange?.(value);
            message.error(error instanceof Error ? error.message : t('errors.unknown'));
          },
        );
        return false;
      }}
      data-testid="case-photos"
    >
      {value.length >= CASE_PHOTOS_MAX ? null : (
        <div>
          <PlusOutlined />
          <div style={{ marginTop: 4 }}>{t('files.add')}</div>
        </div>
      )}
    </Upload>
  );
}
