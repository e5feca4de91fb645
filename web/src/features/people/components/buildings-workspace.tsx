import { Alert, Card, Empty, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgNodeDetail } from '../../../api-types';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { OrgTree } from '../../org/components/org-tree';
import { useOrgNode, useOrgRoots } from '../../org/hooks/use-org';
import { useBuildingMap, useTags } from '../hooks/use-people';
import { BuildingMapView } from './building-map-view';
import { HouseDrawer } from './house-drawer';

type Props = {
  /** The node picked (a building, or a unit standing for its building). */
  selectedId: number | null;
  onSelect: (id: number | null) => void;
  canWrite: boolean;
};

/** The building a node stands for: itself, or a unit's building. */
function buildingOf(node: OrgNodeDetail | undefined): number | null {
  if (node?.type === 'building') return node.id;
  if (node?.type === 'unit') return node.parentId;
  return null;
}

/** Pick a building (search or tree) on the left; its map on the right; a room opens its households. */
export function BuildingsWorkspace({ selectedId, onSelect, canWrite }: Props) {
  const { t } = useTranslation();
  const roots = useOrgRoots();
  const selected = useOrgNode(selectedId);
  const buildingId = buildingOf(selected.data);
  const building = useOrgNode(buildingId !== selectedId ? buildingId : null);
  const buildingNode = buildingId === selectedId ? selected.data : building.data;
  const map = useBuildingMap(buildingId);
  const tags = useTags();
  const [expandedIds, setExpandedIds] = useState<number[]>([]);
  const [houseId, setHouseId] = useState<number | null>(null);

  // unfold the tree down to the picked node once it is known (from the address, the search or a post)
  const revealed = useRef<number | null>(null);
  useEffect(() => {
    const node = selected.data;
    if (!node || !roots.data || revealed.current === node.id) return;
    revealed.current = node.id;
    const rootIds = new Set(roots.data.items.map((r) => r.id));
    const path = node.ancestors.map((a) => a.id);
    const from = path.findIndex((id) => rootIds.has(id));
    if (from >= 0) setExpandedIds((current) => [...new Set([...current, ...path.slice(from)])]);
  }, [selected.data, roots.data]);

  return (
    <div className="linli-org">
      <Card className="linli-org-tree" size="small" title={t('houses.pickBuilding')}>
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <NodeSearchSelect
            allowClear
            types={['building']}
            placeholder={t('houses.searchBuilding')}
            style={{ width: '100%' }}
            value={buildingId}
            onChange={(id) => onSelect(id)}
            data-testid="building-search"
          />
          {roots.isError ? (
            <Alert type="error" showIcon title={roots.error.message} />
          ) : (
            <OrgTree
              selectedId={selectedId}
              expandedIds={expandedIds}
              includeRetired={false}
              onSelect={(id) => onSelect(id)}
              onExpandedChange={setExpandedIds}
            />
          )}
        </Space>
      </Card>
      <Card
        size="small"
        title={
          buildingNode ? (
            <Space wrap>
              <span>{buildingNode.name}</span>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {buildingNode.ancestors.map((a) => a.name).join(' / ')}
              </Typography.Text>
            </Space>
          ) : (
            t('houses.title')
          )
        }
      >
        {selectedId !== null && selected.data && buildingId === null ? (
          <Empty description={t('houses.notABuilding', { name: selected.data.name })} />
        ) : null}
        {selectedId === null ? <Empty description={t('houses.pickHint')} /> : null}
        {map.isLoading || selected.isLoading ? <Spin style={{ display: 'block', margin: '64px auto' }} /> : null}
        {map.isError ? <Alert type="error" showIcon title={map.error.message} /> : null}
        {map.data && buildingId !== null ? (
          <BuildingMapView map={map.data} tags={tags.data?.items ?? []} onOpenRoom={setHouseId} />
        ) : null}
      </Card>
      <HouseDrawer houseId={houseId} canWrite={canWrite} onClose={() => setHouseId(null)} />
    </div>
  );
}
