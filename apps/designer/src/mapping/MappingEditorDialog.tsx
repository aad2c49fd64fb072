import { useCallback, useMemo, useState } from 'react';
import { incomingEdges } from '@tributary/flow';
import type { MappingSpec } from '@tributary/mapping';
import type { Step } from '../api/types.ts';
import { useFlowStore, useFlowStoreApi } from '../canvas/useFlowStore.ts';
import { JsonViewer } from '../components/JsonViewer.tsx';
import { Modal } from '../components/Modal.tsx';
import { CodeEditor, offsetOf } from '../editor/CodeEditor.tsx';
import type { CodeProblem } from '../editor/CodeEditor.tsx';
import { nodeSample } from '../lib/expression-paths.ts';
import { expressionFunctions } from '../lib/mapping-tools.ts';
import { fieldTree, sampleFields } from '../lib/sample-fields.ts';
import { useCatalog } from '../state/useCatalog.ts';
import { addRowFromSource } from './mapping-rows.ts';
import type { MappingRow } from './mapping-rows.ts';
import { SamplePicker } from './SamplePicker.tsx';
import { SourceTree } from './SourceTree.tsx';
import { specFromText, textFromSpec } from './spec-bridge.ts';
import { TargetTable } from './TargetTable.tsx';
import { useMappingPreview } from './useMappingPreview.ts';

export interface MappingEditorDialogProps {
  nodeId: string;
  prop: string;
  stepByNode: Readonly<Record<string, Step>>;
  onClose(): void;
}

type Mode = { kind: 'visual'; spec: MappingSpec; rowErrors: Record<number, string>; specError: string | null } | { kind: 'raw'; note: string | null };

function initialMode(text: string): Mode {
  const r = specFromText(text);
  return r.ok ? { kind: 'visual', spec: r.spec, rowErrors: {}, specError: null } : { kind: 'raw', note: `This mapping cannot be shown as rows (${r.reason}), so it opens as JSONata.` };
}

/**
 * The mapper of a core.map node: sample and source tree on the left, target rows (or raw JSONata)
 * in the middle, live output on the right. Every change is written to the node's config at once,
 * so validation and undo on the canvas see it.
 */
export function MappingEditorDialog({ nodeId, prop, stepByNode, onClose }: MappingEditorDialogProps) {
  const store = useFlowStoreApi();
  const doc = useFlowStore((s) => s.doc);
  const readOnly = useFlowStore((s) => s.readOnly);
  const catalog = useCatalog((s) => s.byType);
  const node = doc.nodes.find((n) => n.id === nodeId);
  const stored = node?.config[prop];
  const text = typeof stored === 'string' ? stored : '';
  const [mode, setMode] = useState<Mode>(() => initialMode(text));
  const [sample, setSample] = useState<unknown>(undefined);

  const upstreamId = useMemo(() => incomingEdges(doc, nodeId)[0]?.from ?? null, [doc, nodeId]);
  const stepOutputs = useMemo(() => Object.fromEntries(Object.entries(stepByNode).map(([id, s]) => [id, s.output])), [stepByNode]);
  const { autoSample, autoLabel } = useMemo(() => {
    const own = stepByNode[nodeId];
    if (own && own.input !== undefined) return { autoSample: own.input, autoLabel: 'The input this node received in the last test run.' };
    if (upstreamId) {
      const value = nodeSample({ doc, catalog, nodeId, stepOutputs }, upstreamId);
      return { autoSample: value ?? {}, autoLabel: `The ${stepOutputs[upstreamId] !== undefined ? 'last test run’s output' : 'sample output'} of “${upstreamId}”, which feeds this node.` };
    }
    return { autoSample: {}, autoLabel: 'Connect a node before this one, or paste a sample.' };
  }, [stepByNode, nodeId, upstreamId, doc, catalog, stepOutputs]);

  const fields = useMemo(() => fieldTree(sample), [sample]);
  const completions = useMemo(() => sampleFields(sample).map((f) => ({ path: f.path, detail: f.type })), [sample]);
  const bindings = useMemo(() => {
    const trigger = nodeSample({ doc, catalog, nodeId, stepOutputs }, doc.trigger);
    return { trigger, steps: stepOutputs };
  }, [doc, catalog, nodeId, stepOutputs]);
  const previewState = useMappingPreview(text, sample, bindings);

  const writeText = useCallback(
    (next: string) => store.getState().dispatch({ type: 'setConfig', nodeId, key: prop, value: next === '' ? undefined : next }, { coalesce: `${nodeId}.config.${prop}` }),
    [store, nodeId, prop],
  );

  const setRows = (rows: MappingRow[]) => {
    if (mode.kind !== 'visual') return;
    const spec: MappingSpec = { ...mode.spec, rows };
    const result = textFromSpec(spec);
    if (result.ok) {
      setMode({ kind: 'visual', spec, rowErrors: {}, specError: null });
      writeText(result.text);
    } else {
      setMode({ kind: 'visual', spec, rowErrors: result.row === null ? {} : { [result.row]: result.message }, specError: result.row === null ? result.message : null });
    }
  };

  const toVisual = () => {
    const r = specFromText(text);
    if (r.ok) setMode({ kind: 'visual', spec: r.spec, rowErrors: {}, specError: null });
    else setMode({ kind: 'raw', note: `Staying in JSONata: this mapping cannot be shown as rows without losing something (${r.reason}).` });
  };

  const errors = previewState.status === 'done' && !previewState.result.ok ? previewState.result.errors : [];
  const problems: CodeProblem[] = errors
    .filter((e) => e.offset !== undefined || e.line !== undefined)
    .map((e) => ({ from: e.offset ?? offsetOf(text, e.line ?? 1, e.column ?? 1), message: e.message }));

  if (!node) return null;
  return (
    <Modal title={`Mapping · ${node.name ?? node.id}`} onClose={onClose} wide testId="mapping-editor">
      <div className="mapper">
        <section className="mapper-source">
          <h3 className="section-title">Sample input</h3>
          <SamplePicker flowId={doc.id} nodeId={nodeId} autoSample={autoSample} autoLabel={autoLabel} upstreamId={upstreamId} onChange={setSample} />
          <h3 className="section-title">Source fields</h3>
          <SourceTree fields={fields} readOnly={readOnly} onAdd={mode.kind === 'visual' && !readOnly ? (path) => setRows(addRowFromSource(mode.spec.rows, path).rows) : null} />
        </section>
        <section className="mapper-main">
          <div className="mapper-mode">
            <div className="segmented">
              <button className={mode.kind === 'visual' ? 'active' : ''} onClick={toVisual} data-testid="mapping-mode-visual">
                Fields
              </button>
              <button className={mode.kind === 'raw' ? 'active' : ''} onClick={() => setMode({ kind: 'raw', note: null })} data-testid="mapping-mode-raw">
                JSONata
              </button>
            </div>
          </div>
          {mode.kind === 'raw' && mode.note && (
            <div className="banner banner-warning" data-testid="mapping-mode-note">
              {mode.note}
            </div>
          )}
          {mode.kind === 'visual' ? (
            <>
              {(mode.spec.variables ?? []).length > 0 && (
                <div className="mapper-vars">
                  <div className="muted small">Variables (edit them in JSONata mode)</div>
                  {(mode.spec.variables ?? []).map((v) => (
                    <div key={v.name} className="mono small">
                      ${v.name} := {v.expression}
                    </div>
                  ))}
                </div>
              )}
              {mode.specError && <div className="banner banner-error">{mode.specError}</div>}
              <TargetTable rows={mode.spec.rows} onChange={setRows} rowErrors={mode.rowErrors} completions={completions} functions={expressionFunctions} readOnly={readOnly} />
            </>
          ) : (
            <CodeEditor language="jsonata" value={text} onChange={writeText} problems={problems} completions={completions} functions={expressionFunctions} readOnly={readOnly} minHeight={360} testId="mapping-jsonata" />
          )}
        </section>
        <section className="mapper-preview" data-testid="mapping-preview">
          <h3 className="section-title">
            Output preview {previewState.status === 'running' && <span className="spinner spinner-small" />}
          </h3>
          {errors.length > 0 && (
            <ul className="preview-errors" data-testid="mapping-errors">
              {errors.map((e, i) => (
                <li key={i} className="field-issue field-issue-error">
                  {e.line !== undefined && <span className="mono">{`${e.line}:${e.column ?? 1} `}</span>}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
          {previewState.status === 'done' && previewState.result.ok && <JsonViewer value={previewState.result.output} testId="mapping-output" openDepth={3} />}
          {previewState.status === 'idle' && <div className="muted small">Map a field to see the output.</div>}
        </section>
      </div>
    </Modal>
  );
}
