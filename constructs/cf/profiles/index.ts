import { profile as v44_8_0 } from './cf-deployment-v44.8.0';
import { profile as v58_0_0 } from './cf-deployment-v58.0.0';

/** Checked-in cf-deployment profiles by tag (see cf-deployment-profile.ts). Add one per supported version. */
export const CF_DEPLOYMENT_PROFILES: Readonly<Record<string, unknown>> = {
  'v44.8.0': v44_8_0,
  'v58.0.0': v58_0_0,
};
