import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, List, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role, UserSummary } from '../../../api-types';
import { showFieldError } from '../../../ui/form-errors';
import { postLabel } from '../../../ui/labels';
import { useAddPost, useRemovePost } from '../hooks/use-users';
import { PostFields } from './post-fields';

type Props = { user: UserSummary; canWrite: boolean };
type Values = { role: Role; nodeId?: number | null };

export function UserPosts({ user, canWrite }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddPost();
  const remove = useRemovePost();

  const submit = async (values: Values) => {
    try {
      await add.mutateAsync({ id: user.id, role: values.role, nodeId: values.nodeId ?? null });
      message.success(t('users.postAdded'));
      form.resetFields();
    } catch (error) {
      if (!showFieldError(form, error, ['role', 'nodeId'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <List
        size="small"
        bordered
        dataSource={user.posts}
        locale={{ emptyText: t('users.noPosts') }}
        renderItem={(post) => (
          <List.Item
            actions={
              canWrite
                ? [
                    <Popconfirm
                      key="remove"
                      title={t('users.removePostConfirm', { post: postLabel(t, post) })}
                      okText={t('common.remove')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('common.cancel')}
                      onConfirm={() =>
                        remove.mutateAsync({ id: user.id, postId: post.id }).then(
                          () => message.success(t('users.postRemoved')),
                          (error: unknown) =>
                            message.error(error instanceof Error ? error.message : t('errors.unknown')),
                        )
                      }
                    >
                      <Button type="link" danger size="small">
                        {t('common.remove')}
                      </Button>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <Typography.Text>{postLabel(t, post)}</Typography.Text>
          </List.Item>
        )}
      />
      {canWrite ? (
        <Form<Values> form={form} layout="inline" onFinish={submit} style={{ rowGap: 8 }}>
          <PostFields name={[]} path={[]} />
          <Form.Item>
            <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending}>
              {t('users.addPost')}
            </Button>
          </Form.Item>
        </Form>
      ) : null}
    </Space>
  );
}
