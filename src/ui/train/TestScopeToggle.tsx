import { useSplits } from '../../state/splits';
import type { Split } from '../../core';
import { splitSizesText } from './SplitControls';

/**
 * "Every method on the test split": the table and every view score all methods on the same test images, so
 * the trained adapter's row (scored only there) compares with SAGE and the others. The split sizes are shown.
 */
export function TestScopeToggle({ counts }: { counts: Record<Split, number> }) {
  const scope = useSplits((s) => s.scope);
  const setScope = useSplits((s) => s.setScope);
  const none = counts.test === 0;
  return (
    <div className="test-scope" data-testid="test-scope">
      <label className="method-pick">
        <input
          type="checkbox"
          checked={scope === 'test' && !none}
          disabled={none}
          onChange={(e) => setScope(e.target.checked ? 'test' : 'all')}
          data-testid="test-scope-toggle"
        />
        <span>every method on the test split only</span>
      </label>
      <span className="muted" data-testid="test-scope-sizes">
        {none ? '(no test split: make one in “Train an adapter”)' : `(split: ${splitSizesText(counts)})`}
      </span>
    </div>
  );
}
