import { useRef } from 'react';
import { toastSuccess } from '../state/useToasts.ts';

/** The address a flow's webhook trigger receives deliveries at (the server's `POST /hooks/:flowId`). */
export function webhookUrl(origin: string, flowId: string): string {
  return `${origin}/hooks/${encodeURIComponent(flowId)}`;
}

/**
 * The URL an analyst pastes into the sending system (Shopify's webhook subscription, the ERP's
 * callback settings). The designer is served from the same origin as the webhook intake, so the
 * page's own origin is the address the outside world already reaches.
 */
export function WebhookAddress({ flowId }: { flowId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const url = webhookUrl(window.location.origin, flowId);
  async function copy() {
    input.current?.select();
    try {
      // Missing outside secure contexts (plain http to a host name): the selected text is there to copy by hand.
      await navigator.clipboard.writeText(url);
      toastSuccess('Copied the webhook URL');
    } catch {
      input.current?.focus();
    }
  }
  return (
    <div className="field" data-testid="webhook-url">
      <span className="field-label">Webhook URL</span>
      <div className="secret-row">
        <input ref={input} className="mono" readOnly value={url} aria-label="Webhook URL" onFocus={(e) => e.currentTarget.select()} data-testid="webhook-url-input" />
        <button className="button button-small" onClick={() => void copy()} data-testid="webhook-url-copy">
          Copy
        </button>
      </div>
      <span className="field-help">Subscribe the sending system’s webhook to this address (POST). Deliveries are accepted while the flow is published and enabled.</span>
    </div>
  );
}
