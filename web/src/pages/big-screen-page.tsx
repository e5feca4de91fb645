import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { Dashboard } from '../api-types';
import { DashChart } from '../features/dashboard/components/dash-chart';
import { useChartLabels } from '../features/dashboard/components/dashboard-view';
import { useDashboard } from '../features/dashboard/hooks/use-dashboard';
import {
  barOption,
  childrenOption,
  pyramidOption,
  stagePieOption,
  trendOption,
} from '../features/dashboard/utils/dashboard-charts';
import { bigScreenPath, dashboardPath, kpisOf, nodeParam } from '../features/dashboard/utils/dashboard-view-model';
import { isApiError } from '../ui/api';
import '../features/dashboard/components/big-screen.css';

const W = 1920;
const H = 1080;

/** The scale that fits the 1920×1080 stage into the window (never enlarged). */
const fitScale = () => Math.min(1, window.innerWidth / W, window.innerHeight / H);

function useFit(): number {
  const [scale, setScale] = useState(fitScale);
  useEffect(() => {
    const on = () => setScale(fitScale());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return scale;
}

function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(id);
  }, []);
  return (
    <span data-testid="big-screen-clock">
      {now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}
    </span>
  );
}

/**
 * /big-screen?node= : the dashboard on a dark full-screen stage outside the console's frame (fits 1920×1080 and
 * scales down), refreshed every 60 s, with a clock; clicking a child drills down, ESC or the button goes back.
 */
export function BigScreenPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const nodeId = nodeParam(params);
  const query = useDashboard(nodeId === undefined ? {} : { nodeId }, 60_000);
  const scale = useFit();
  const leave = useMemo(
    () => () => navigate(nodeId === undefined ? '/dashboard' : dashboardPath(nodeId)),
    [navigate, nodeId],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') leave();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [leave]);

  let body: React.ReactNode;
  if (query.isError) {
    body = (
      <div className="bs-message" data-testid="big-screen-error">
        {isApiError(query.error) && query.error.status === 404 ? t('dashboard.notFound') : t('dashboard.loadFailed')}
      </div>
    );
  } else if (!query.data) {
    body = <div className="bs-message">…</div>;
  } else {
    body = <Stage d={query.data} onDrill={(id) => navigate(bigScreenPath(id))} />;
  }
  return (
    <div className="bs-root">
      <div className="bs-stage" style={{ width: W, height: H, transform: `scale(${scale})` }}>
        <header className="bs-header">
          <button type="button" className="bs-exit" onClick={leave}>
            {t('dashboard.exit')}
          </button>
          <h1 data-testid="big-screen-title">
            {query.data ? t('dashboard.bigScreenTitle', { name: query.data.node.name }) : t('dashboard.title')}
          </h1>
          <div className="bs-clock">
            <Clock />
            <small>{t('dashboard.refreshHint')}</small>
          </div>
        </header>
        {body}
      </div>
    </div>
  );
}

function Stage({ d, onDrill }: { d: Dashboard; onDrill: (id: number) => void }) {
  const { t } = useTranslation();
  const labels = useChartLabels();
  const kpis = kpisOf(d, (value) => t('dashboard.hours', { value }));
  const o = useMemo(
    () => ({
      pyramid: pyramidOption(d, labels, true),
      groups: barOption(
        d.population.groups.map((g) => ({ name: g.name, value: g.value })),
        true,
      ),
      stages: stagePieOption(d, true),
      trend: trendOption(d, labels, true),
      children: childrenOption(d, labels, true),
      categories: barOption(d.cases.byCategory, true, '#faad14'),
    }),
    [d, labels],
  );
  const crumbs = d.node.crumbs;
  return (
    <>
      <nav className="bs-crumbs" data-testid="big-screen-breadcrumb">
        {crumbs.map((c, i) => (
          <span key={c.id}>
            {i > 0 ? ' / ' : ''}
            {c.clickable && i < crumbs.length - 1 ? (
              <button type="button" onClick={() => onDrill(c.id)}>
                {c.name}
              </button>
            ) : (
              c.name
            )}
          </span>
        ))}
      </nav>
      <section className="bs-kpis">
        {kpis.map((k) => (
          <div key={k.key} className="bs-kpi" data-testid={`bs-kpi-${k.key}`}>
            <div className="bs-kpi-value">{k.value}</div>
            <div className="bs-kpi-label">{t(`dashboard.kpi.${k.key}`)}</div>
          </div>
        ))}
      </section>
      <section className="bs-grid">
        <Panel title={t('dashboard.charts.ageBands')}>
          <DashChart option={o.pyramid} height={300} />
        </Panel>
        <Panel title={t('dashboard.charts.children')}>
          <DashChart
            option={o.children}
            height={300}
            onItemClick={(i) => {
              const c = d.children[i];
              if (c) onDrill(c.id);
            }}
          />
          <div className="bs-children">
            {d.children.map((c) => (
              <button type="button" key={c.id} onClick={() => onDrill(c.id)}>
                {c.name} {c.population}
              </button>
            ))}
          </div>
        </Panel>
        <Panel title={t('dashboard.charts.stages')}>
          <DashChart option={o.stages} height={300} />
        </Panel>
        <Panel title={t('dashboard.charts.groups')}>
          <DashChart option={o.groups} height={300} />
        </Panel>
        <Panel title={t('dashboard.charts.trend')}>
          <DashChart option={o.trend} height={300} />
        </Panel>
        <Panel title={t('dashboard.charts.categories')}>
          <DashChart option={o.categories} height={300} />
        </Panel>
      </section>
    </>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="bs-panel">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
