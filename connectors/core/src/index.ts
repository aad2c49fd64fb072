import { auth, defineConnector } from '@tributary/connector-sdk';
import { batchAction } from './actions/batch.ts';
import { branchAction } from './actions/branch.ts';
import { codeAction } from './actions/code.ts';
import { delayAction } from './actions/delay.ts';
import { filterAction } from './actions/filter.ts';
import { forEachAction } from './actions/for-each.ts';
import { httpRequestAction } from './actions/http-request.ts';
import { mapAction } from './actions/map.ts';
import { respondAction } from './actions/respond.ts';
import { xrefLinkAction, xrefLookupAction } from './actions/xref.ts';
import { manualTrigger } from './triggers/manual.ts';
import { scheduleTrigger } from './triggers/schedule.ts';
import { webhookTrigger } from './triggers/webhook.ts';

/**
 * Core triggers and logic nodes. Its connections (`core`) hold webhook signing secrets for
 * `core.webhook`; no other core node needs a connection.
 * @example createRegistry([coreConnector, httpConnector, shopifyConnector])
 */
export const coreConnector = defineConnector({
  id: 'core',
  label: 'Core',
  description: 'Triggers (webhook, schedule, manual), mapping, code, logic, batching, delays, cross-references and HTTP requests.',
  group: 'Logic',
  auth: auth.hmacWebhook(),
  triggers: [webhookTrigger, scheduleTrigger, manualTrigger],
  actions: [mapAction, codeAction, filterAction, branchAction, forEachAction, batchAction, delayAction, httpRequestAction, respondAction, xrefLookupAction, xrefLinkAction],
});

export { httpConnector } from './http-connector.ts';
export { httpAuth, httpRequestAuth } from './auth.ts';
export type { HttpAuthType } from './auth.ts';
export { scheduleFromConfig } from './triggers/schedule.ts';
export type { ScheduleConfig } from './triggers/schedule.ts';
export { MAX_DELAY_MS, MAX_IN_PROCESS_DELAY_MS } from './actions/delay.ts';
