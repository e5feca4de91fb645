import { Alert, Col, Empty, Row, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { FiguresCard } from '../features/workbench/components/figures-card';
import { TodoList } from '../features/workbench/components/todo-list';
import { UnreadCard } from '../features/workbench/components/unread-card';
import { useWorkbench } from '../features/workbench/hooks/use-workbench';

/** 工作台: the landing page of every console role — the figures of their area, then what waits for them. */
export function WorkbenchPage() {
  const { t } = useTranslation();
  const workbench = useWorkbench();
  if (workbench.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (!workbench.data) {
    return <Alert type="error" showIcon message={t('workbench.failed')} description={workbench.error?.message} />;
  }
  const { cards, todos } = workbench.data;
  return (
    <Row gutter={[16, 16]} data-testid="workbench">
      <Col xs={24} xl={16}>
        <Row gutter={[16, 16]}>
          {cards.length === 0 ? (
            <Col span={24}>
              <Empty description={t('workbench.noCards')} />
            </Col>
          ) : (
            cards.map((card) => (
              <Col key={card.id} span={24}>
                <FiguresCard card={card} />
              </Col>
            ))
          )}
        </Row>
      </Col>
      <Col xs={24} xl={8}>
        <Row gutter={[16, 16]}>
          {/* every account has an inbox */}
          <Col span={24}>
            <UnreadCard />
          </Col>
          {todos.length > 0 ? (
            <Col span={24}>
              <TodoList groups={todos} />
            </Col>
          ) : null}
        </Row>
      </Col>
    </Row>
  );
}
