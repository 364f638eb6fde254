import v44_8_0 from './cf-deployment-v44.8.0.json';
import v58_0_0 from './cf-deployment-v58.0.0.json';
import { CfDeploymentProfile, checkProfile } from './profile-schema';

export { cfDeploymentProfileSchema, checkProfile } from './profile-schema';
export type { CfDeploymentProfile } from './profile-schema';

/** Where the checked-in profiles live, relative to the project root (for messages and the generator). */
export const PROFILES_DIR = 'constructs/cf/profiles';

/** The checked-in profile file of a cf-deployment tag, relative to the project root. */
export const profileFileOf = (tag: string): string => `${PROFILES_DIR}/cf-deployment-${tag}.json`;

/**
 * Checked-in cf-deployment profiles by tag (see cf-deployment-profile.ts), data files written by
 * `npm run profile -- <cf-deployment.yml>` (stacks/cf-profile.ts). Imported as JSON so the build carries
 * them into dist/; checked on load so a hand-edited or truncated file fails with its path. Register each
 * new profile here (test/unit/cf-profile.test.ts fails for a file that is not registered).
 */
export const CF_DEPLOYMENT_PROFILES: Readonly<Record<string, CfDeploymentProfile>> = {
  'v44.8.0': checkProfile(profileFileOf('v44.8.0'), v44_8_0),
  'v58.0.0': checkProfile(profileFileOf('v58.0.0'), v58_0_0),
};
