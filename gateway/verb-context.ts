// The gateway's verbs take the same context as the modules' verbs.
export type { VerbContext as GatewayVerbContext } from '../catalog-open/index.ts';
