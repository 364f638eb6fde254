import { DIRECTOR_SECRET_ENV } from '../../contracts/director-env.cjs';
import { InputError } from '../../lab/errors';

/**
 * Last line of defence for "no secret in output": rendered manifests may only name credentials as
 * ((variables)). Refuses private keys or certificates in the text, and the value of any director
 * credential present in the synth's environment.
 */
const SECRET_FIX = 'name the credential as a ((variable)) and supply its value at deploy time (bosh -v/-l or CredHub)';

export function assertNoSecrets(text: string, where: string, env: NodeJS.ProcessEnv = process.env): void {
  if (/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(text)) {
    throw InputError.at({ file: where, path: '', found: 'a PEM block (a private key or certificate)', expected: 'credentials only as ((variables))', fix: SECRET_FIX });
  }
  for (const name of DIRECTOR_SECRET_ENV) {
    const v = env[name]?.trim();
    if (v && v.length >= 8 && text.includes(v)) throw InputError.at({ file: where, path: '', found: `the value of ${name} (not shown)`, expected: 'credentials only as ((variables))', fix: SECRET_FIX });
  }
}
