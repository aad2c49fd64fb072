import { useMemo, useState } from 'react';
import { parseSample } from '@tributary/mapping';
import { api } from '../api/client.ts';
import type { RunDetail } from '../api/types.ts';
import { useFlowStore } from '../canvas/useFlowStore.ts';
import { Modal } from '../components/Modal.tsx';
import { CodeEditor } from '../editor/CodeEditor.tsx';
import { useCatalog } from '../state/useCatalog.ts';
import { toastError } from '../state/useToasts.ts';

const storageKey = (flowId: string) => `tributary.testPayload.${flowId}`;

function readStored(flowId: string): string | null {
  try {
    return localStorage.getItem(storageKey(flowId));
  } catch {
    return null;
  }
}

/** Runs the draft on the canvas — saved or not — once with a sample trigger payload (POST /flows/:id/test with the draft). */
export function TestRunDialog({ flowId, onClose, onRun }: { flowId: string; onClose(): void; onRun(run: RunDetail): void }) {
  const doc = useFlowStore((s) => s.doc);
  const catalog = useCatalog((s) => s.byType);
  const triggerType = doc.nodes.find((n) => n.id === doc.trigger)?.type;
  const sample = triggerType ? catalog[triggerType]?.sampleOutput : undefined;
  const [text, setText] = useState(() => readStored(flowId) ?? JSON.stringify(sample ?? {}, null, 2));
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(() => parseSample(text), [text]);

  async function run() {
    if (!parsed.ok) return;
    setBusy(true);
    try {
      try {
        localStorage.setItem(storageKey(flowId), text);
      } catch {
        // Storage full or disabled: the payload is just not remembered.
      }
      const { run } = await api.flows.test(flowId, parsed.value, doc);
      onRun(run);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="Test run"
      onClose={onClose}
      wide
      testId="test-run-dialog"
      footer={
        <>
          {sample !== undefined && (
            <button className="button button-ghost" onClick={() => setText(JSON.stringify(sample, null, 2))} data-testid="test-use-sample">
              Use the trigger’s sample
            </button>
          )}
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button className="button button-primary" disabled={busy || !parsed.ok} onClick={() => void run()} data-testid="test-run-start">
            {busy ? 'Running…' : 'Run'}
          </button>
        </>
      }
    >
      <p className="muted">
        The draft runs once with this payload as <span className="mono">$trigger</span>. Connector steps talk to the real systems of the chosen connections.
      </p>
      <CodeEditor
        language="json"
        value={text}
        onChange={setText}
        minHeight={280}
        testId="test-payload"
        problems={parsed.ok ? [] : [{ from: parsed.issue.offset ?? 0, message: parsed.issue.message }]}
      />
      {!parsed.ok && (
        <div className="field-issue field-issue-error">
          {parsed.issue.line !== undefined ? `${parsed.issue.line}:${parsed.issue.column ?? 1} ` : ''}
          {parsed.issue.message}
        </div>
      )}
    </Modal>
  );
}

