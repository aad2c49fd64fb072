import { auth, defineConnector } from '@tributary/connector-sdk';
import { codeAction } from './actions/code.ts';
import { httpRequestAction } from './actions/http-request.ts';
import { mapAction } from './actions/map.ts';
import { respondAction } from './actions/respond.ts';
import { manualTrigger } from './triggers/manual.ts';
import { scheduleTrigger } from './triggers/schedule.ts';
import { webhookTrigger } from './triggers/webhook.ts';

/**
 * Core triggers and logic nodes. Its connections (`core`) hold webhook signing secrets for
 * `core.webhook`; no other core node needs a connection.
 */
export const coreConnector = defineConnector({
  id: 'core',
  label: 'Core',
  description: 'Triggers (webhook, schedule, manual), mapping, code, logic and HTTP requests.',
  group: 'Logic',
  auth: auth.hmacWebhook(),
  triggers: [webhookTrigger, scheduleTrigger, manualTrigger],
  actions: [mapAction, codeAction, httpRequestAction, respondAction],
});

export { httpConnector } from './http-connector.ts';
export { httpAuth, httpRequestAuth } from './auth.ts';
export type { HttpAuthType } from './auth.ts';
export { scheduleFromConfig } from './triggers/schedule.ts';
export type { ScheduleConfig } from './triggers/schedule.ts';
