import { DIRECTOR_SECRET_ENV } from '../../contracts/director-env.cjs';

/**
 * Last line of defence for "no secret in output": rendered manifests may only name credentials as
 * ((variables)). Refuses private keys or certificates in the text, and the value of any director
 * credential present in the synth's environment.
 */
export function assertNoSecrets(text: string, where: string, env: NodeJS.ProcessEnv = process.env): void {
  if (/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(text)) {
    throw new Error(`${where}: contains a PEM block; credentials must stay ((variables))`);
  }
  for (const name of DIRECTOR_SECRET_ENV) {
    const v = env[name]?.trim();
    if (v && v.length >= 8 && text.includes(v)) throw new Error(`${where}: contains the value of ${name}; credentials must stay ((variables))`);
  }
}
