/**
 * What the run tests' fake worker clients share (src/state/run.*.test.ts): the runtime a load reports and the
 * listener methods the run registers but the fakes never call.
 */
import type { RuntimeInfo } from '../core/config';

export const FAKE_RUNTIME: RuntimeInfo = {
  backend: 'wasm',
  dtype: 'fp32',
  threads: 1,
  modelId: 'local:tiny-clip',
  crossOriginIsolated: true,
  notes: [],
};

/** Base of each test's FakeClient: subclasses add load, embedText, embedImages (and cancel when scripted). */
export class FakeClientBase {
  onBackendFallback(): () => void {
    return () => undefined;
  }
  onRestart(): () => void {
    return () => undefined;
  }
  cancel(): void {}
}
