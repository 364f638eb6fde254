/** Environment variables whose values must never reach a PR comment or a log. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|_KEY$|CA_CERT)/i;

export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && typeof v === 'string' && v.length >= 6)
    .map(([, v]) => v as string)
    .sort((a, b) => b.length - a.length);
}

/** Replaces every secret value from the environment by a marker naming nothing but its length class. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => acc.split(s).join('((redacted))'), text);
}
