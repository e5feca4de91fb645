import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Form, Input, Modal, Row, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role, UserSummary } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { PASSWORD_PATTERN } from '../../auth/utils/password';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useCreateUser } from '../hooks/use-users';
import { PostFields } from './post-fields';

type Values = {
  username: string;
  displayName: string;
  password: string;
  phone?: string;
  homeNodeId?: number | null;
  posts?: { nodeId?: number | null; role?: Role }[];
};

type Props = {
  open: boolean;
  /** Only a creator over the whole installation may leave an account without a home node. */
  isHomeNodeOptional: boolean;
  onClose: () => void;
  onCreated: (user: UserSummary) => void;
};

/** As the server's `Username` schema. */
const USERNAME = /^[A-Za-z0-9_.-]{3,40}$/;

const FIELDS = ['username', 'displayName', 'password', 'phone', 'homeNodeId', 'posts'];

export function CreateUserModal({ open, isHomeNodeOptional, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateUser();

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const values = valid;
    const phone = values.phone?.trim();
    const posts = (values.posts ?? []).flatMap((p) => (p.role ? [{ nodeId: p.nodeId ?? null, role: p.role }] : []));
    try {
      const user = await create.mutateAsync({
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        password: values.password,
        ...(phone ? { phone } : {}),
        // without a choice, the account lives where its first post is
        homeNodeId: values.homeNodeId ?? posts.find((p) => p.nodeId !== null)?.nodeId ?? null,
        posts,
      });
      message.success(t('users.created', { name: user.displayName }));
      form.resetFields();
      onCreated(user);
    } catch (error) {
      if (!showFieldError(form, error, FIELDS)) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('common.required', { field }),
  });

  return (
    <Modal
      open={open}
      title={t('users.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={create.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} data-testid="create-user-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="username"
              label={t('users.username')}
              rules={[required(t('users.username')), { pattern: USERNAME, message: t('users.usernameRule') }]}
            >
              <Input autoComplete="off" maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="displayName" label={t('users.displayName')} rules={[required(t('users.displayName'))]}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="password"
              label={t('users.initialPassword')}
              extra={t('auth.passwordRule')}
              rules={[
                required(t('users.initialPassword')),
                { pattern: PASSWORD_PATTERN, message: t('auth.passwordRule') },
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('users.phone')}>
              <Input placeholder={t('common.optional')} inputMode="tel" maxLength={30} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="homeNodeId"
          label={t('users.homeNode')}
          extra={t('users.homeNodeHelp')}
          dependencies={['posts']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: number | null | undefined) => {
                const posts: Values['posts'] = getFieldValue('posts');
                const hasNode = value != null || (posts ?? []).some((p) => p?.nodeId != null);
                return hasNode || isHomeNodeOptional
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('common.selectRequired', { field: t('users.homeNode') })));
              },
            }),
          ]}
        >
          <NodeSearchSelect allowClear />
        </Form.Item>
        <Form.Item label={t('users.initialPosts')}>
          <Form.List name="posts">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }} size={0}>
                {fields.map((field) => (
                  <div key={field.key} className="linli-post-row">
                    <PostFields name={[field.name]} path={['posts', field.name]} />
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={t('common.remove')}
                      onClick={() => remove(field.name)}
                    />
                  </div>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {t('users.addPost')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Modal>
  );
}
