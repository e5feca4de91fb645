import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useCaseCategories } from '../hooks/use-cases';
import { categoryTree } from '../utils/case-labels';

type Props = {
  value?: number | null;
  onChange?: (value: number | undefined) => void;
  /** Filing a case takes a leaf; filtering the board may take a branch. */
  leavesOnly?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
};

/** Picks a case category from the tree (GET /api/cases/categories), searchable by name. */
export function CategorySelect({ value, onChange, leavesOnly, placeholder, allowClear, style, id, ...rest }: Props) {
  const categories = useCaseCategories();
  const tree = useMemo(
    () => categoryTree(categories.data ?? [], { leavesOnly: leavesOnly ?? false }),
    [categories.data, leavesOnly],
  );
  return (
    <TreeSelect<number>
      id={id}
      data-testid={rest['data-testid']}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={tree}
      loading={categories.isLoading}
      placeholder={placeholder}
      allowClear={allowClear}
      style={style}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll={false}
      popupMatchSelectWidth={false}
    />
  );
}
