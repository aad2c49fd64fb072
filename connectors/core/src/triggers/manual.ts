import { defineTrigger, prop } from '@tributary/connector-sdk';

/** `core.manual`: started by a person (designer "Run", API, CLI) with a payload they give, or the sample. */
export const manualTrigger = defineTrigger({
  name: 'manual',
  label: 'Manual',
  description: 'Start the flow by hand from the designer, the API or the CLI, with a payload you provide.',
  group: 'Triggers',
  source: 'manual',
  props: {
    samplePayload: prop.json({ label: 'Sample payload', description: 'Used when a run is started without a payload, and for autocomplete' }),
  },
  exampleProps: { samplePayload: { customerId: 'C00042' } },
  sampleOutput: { customerId: 'C00042' },
});
