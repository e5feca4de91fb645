import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FileView } from '../../../api-types';
import { api } from '../../../ui/api';

export const EVIDENCE_MAX = 9;

type Props = {
  /** Uploaded files: `uid` is the server's file id once uploaded. */
  value?: UploadFile[];
  onChange?: (files: UploadFile[]) => void;
};

/** Uploads one chosen file (POST /api/files); the adjustment's save attaches it by id. */
async function uploadEvidence(file: File): Promise<FileView> {
  const form = new FormData();
  form.append('file', file, file.name);
  const answer = await api.upload<{ items: FileView[] }>('/api/files', form);
  const first = answer.items[0];
  if (!first) throw new Error('no file');
  return first;
}

/** The ids of the files uploaded so far (pending or failed ones are left out). */
export function evidenceIds(files: readonly UploadFile[] | undefined): string[] {
  return (files ?? []).filter((f) => f.status === 'done').map((f) => f.uid);
}

/**
 * Evidence for a bonus or penalty: photos or documents (a notice, a commendation), each uploaded at once; the
 * form sends their ids.
 */
export function EvidencePicker({ value = [], onChange }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Upload
      listType="text"
      fileList={value}
      onRemove={(file) => onChange?.(value.filter((f) => f.uid !== file.uid))}
      beforeUpload={(file) => {
        if (value.length >= EVIDENCE_MAX) {
          message.error(t('files.tooMany', { limit: EVIDENCE_MAX }));
          return false;
        }
        const pending: UploadFile = { uid: file.uid, name: file.name, status: 'uploading' };
        let current = [...value, pending];
        onChange?.(current);
        uploadEvidence(file).then(
          (f) => {
            current = current.map((x) =>
              x.uid === file.uid ? { uid: f.id, name: f.name, status: 'done', url: f.url } : x,
            );
            onChange?.(current);
          },
          (error: unknown) => {
            current = current.filter((x) => x.uid !== file.uid);
            onChange?.(current);
            message.error(error instanceof Error ? error.message : t('errors.unknown'));
          },
        );
        return false;
      }}
      data-testid="assessment-evidence"
    >
      {value.length >= EVIDENCE_MAX ? null : <Button icon={<UploadOutlined />}>{t('assessment.evidenceAdd')}</Button>}
    </Upload>
  );
}
