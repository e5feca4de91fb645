import { useSearchParams } from 'react-router-dom';
import { ImportWorkspace } from '../features/imports/components/import-workspace';

export function ImportPage() {
  const [params, setParams] = useSearchParams();
  const raw = Number(params.get('id'));
  const importId = Number.isInteger(raw) && raw > 0 ? raw : null;
  return (
    <ImportWorkspace
      importId={importId}
      onOpen={(id) => setParams(id === null ? {} : { id: String(id) }, { replace: true })}
    />
  );
}
