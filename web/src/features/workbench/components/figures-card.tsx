import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { WorkbenchCard, WorkbenchFigure } from '../../../api-types';

function Figure({ figure }: { figure: WorkbenchFigure }) {
  const statistic = <Statistic title={figure.label} value={figure.value} />;
  return (
    <div className="linli-workbench-figure" data-testid={`figure-${figure.key}`}>
      {figure.link ? <Link to={figure.link}>{statistic}</Link> : statistic}
    </div>
  );
}

/** A card of figures as the server sent it: sections of numbers, each linking to what it counts. */
export function FiguresCard({ card }: { card: WorkbenchCard }) {
  const { t } = useTranslation();
  return (
    <Card
      title={card.title}
      extra={
        card.area ? (
          <Typography.Text type="secondary">{t('workbench.area', { area: card.area })}</Typography.Text>
        ) : null
      }
      data-testid={`card-${card.id}`}
    >
      {card.sections.map((section) =>
        section.figures.length === 0 ? null : (
          <div key={section.key} className="linli-workbench-section">
            {section.title ? <Typography.Title level={5}>{section.title}</Typography.Title> : null}
            <Row gutter={[16, 16]}>
              {section.figures.map((figure) => (
                <Col key={figure.key} xs={12} sm={8} md={6} xl={4}>
                  <Figure figure={figure} />
                </Col>
              ))}
            </Row>
          </div>
        ),
      )}
    </Card>
  );
}
