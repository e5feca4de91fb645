import { DeleteOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Image, Space, Spin, Tooltip, Typography, Upload } from 'antd';
import type { RcFile } from 'antd/es/upload';
import { useTranslation } from 'react-i18next';
import type { FileView } from '../../../api-types';
import {
  FILES_PER_UPLOAD,
  useAddResidentFiles,
  useRemoveResidentFile,
  useResidentFiles,
} from '../hooks/use-resident-files';

type Props = { residentId: number; canWrite: boolean };

const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic,image/heif,.heic,.heif,application/pdf';

/** A resident's documents and photos (材料与照片): thumbnails that open the picture, PDFs that download. */
export function ResidentFilesCard({ residentId, canWrite }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const files = useResidentFiles(residentId);
  const add = useAddResidentFiles(residentId);
  const remove = useRemoveResidentFile(residentId);

  const upload = (chosen: RcFile[]) => {
    if (chosen.length > FILES_PER_UPLOAD) {
      message.error(t('files.tooMany', { limit: FILES_PER_UPLOAD }));
      return;
    }
    add.mutateAsync(chosen).then(
      (r) => message.success(t('files.uploaded', { count: r.items.length })),
      (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
    );
  };

  const confirmRemove = (f: FileView) =>
    modal.confirm({
      title: t('files.removeConfirm', { name: f.name }),
      okText: t('common.remove'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(f.id).then(
          () => message.success(t('files.removed')),
          (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
        ),
    });

  return (
    <Card
      size="small"
      title={t('files.title')}
      data-testid="resident-files"
      extra={
        canWrite ? (
          <Upload
            accept={ACCEPT}
            multiple
            showUploadList={false}
            beforeUpload={(file, list) => {
              // Called once per chosen file: upload the whole choice with the last one.
              if (file === list[list.length - 1]) upload(list);
              return false;
            }}
          >
            <Button size="small" type="link" icon={<UploadOutlined />} loading={add.isPending}>
              {t('files.add')}
            </Button>
          </Upload>
        ) : null
      }
    >
      {files.isLoading ? (
        <Spin size="small" />
      ) : (files.data ?? []).length === 0 ? (
        <Typography.Text type="secondary">{t('files.none')}</Typography.Text>
      ) : (
        <Image.PreviewGroup>
          <Space wrap size={12}>
            {(files.data ?? []).map((f) => (
              <div key={f.id} className="linli-file-tile" data-testid="resident-file">
                {f.thumbUrl ? (
                  <Image
                    width={96}
                    height={96}
                    style={{ objectFit: 'cover' }}
                    src={f.thumbUrl}
                    preview={{ src: f.url }}
                    alt={f.name}
                  />
                ) : (
                  <a href={f.url} className="linli-file-doc" title={f.name} download={f.name}>
                    <FilePdfOutlined style={{ fontSize: 40 }} />
                  </a>
                )}
                <div className="linli-file-name">
                  <Tooltip title={f.name}>
                    <Typography.Text ellipsis style={{ maxWidth: canWrite ? 70 : 96 }}>
                      {f.name}
                    </Typography.Text>
                  </Tooltip>
                  {canWrite ? (
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('common.remove')}
                      onClick={() => confirmRemove(f)}
                    />
                  ) : null}
                </div>
              </div>
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {canWrite ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
          {t('files.help')}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}
