import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { GoPackageError } from '../../constructs/golang/errors';
import { GoCrossCompiledPackage, type GoCrossCompiledPackageProps } from '../../constructs/golang/go-cross-compiled-package';
import { checkTarget, elfOf, type GoTarget } from '../../constructs/golang/go-target';
import { LifecycleBundle } from '../../constructs/golang/lifecycle-bundle';
import { renderPackagingScript } from '../../constructs/golang/packaging-script';
import { ArtifactStore } from '../../constructs/plan/artifacts';

function freshStack(): { stack: TerraformStack; store: ArtifactStore } {
  const stack = new TerraformStack(Testing.app(), 'test');
  return { stack, store: new ArtifactStore(stack) };
}

const healthcheckProps: GoCrossCompiledPackageProps = {
  name: 'healthcheck_armhf',
  target: { goos: 'linux', goarch: 'arm', goarm: 7 },
  artifactDir: 'bosh-packages/armhf',
  sourceModules: ['code.cloudfoundry.org/healthcheck'],
  binaries: [{ name: 'healthcheck', importPath: 'code.cloudfoundry.org/healthcheck/cmd/healthcheck' }],
};

function pkg(props: Partial<GoCrossCompiledPackageProps> = {}): GoCrossCompiledPackage {
  return new GoCrossCompiledPackage(freshStack().stack, 'P', { ...healthcheckProps, ...props });
}

function errorOf(fn: () => unknown): GoPackageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GoPackageError) return err;
    throw err;
  }
  throw new Error('expected a GoPackageError');
}

/** A target as a plain JavaScript caller (or one reading JSON) may pass it: the type system is not there. */
const untyped = (t: Record<string, unknown>): GoTarget => t as unknown as GoTarget;

describe('checkTarget', () => {
  it('accepts armhf (GOARM 7 by default) and arm64, with the ELF header each must carry', () => {
    expect(checkTarget('t', { goos: 'linux', goarch: 'arm' })).toEqual({ goos: 'linux', goarch: 'arm', goarm: 7 });
    expect(elfOf(checkTarget('t', { goos: 'linux', goarch: 'arm' }))).toMatchObject({ elfClass: 1, machine: 40, armEabi5: true });
    expect(checkTarget('t', { goos: 'linux', goarch: 'arm64' })).toEqual({ goos: 'linux', goarch: 'arm64' });
    expect(elfOf({ goos: 'linux', goarch: 'arm64' })).toMatchObject({ elfClass: 2, machine: 183, armEabi5: false });
  });

  it('leaves a wrong goarch, GOARM or GOOS to the compiler for typed callers', () => {
    // @ts-expect-error armv7 is no GOARCH
    expect(() => checkTarget('t', { goos: 'linux', goarch: 'armv7' })).toThrow(GoPackageError);
    // @ts-expect-error GOARM 8 does not exist
    expect(() => checkTarget('t', { goos: 'linux', goarch: 'arm', goarm: 8 })).toThrow(GoPackageError);
    // @ts-expect-error cells run Linux
    expect(() => checkTarget('t', { goos: 'windows', goarch: 'arm64' })).toThrow(GoPackageError);
  });

  it('rejects a goarch that is no cell arch, naming the field and the arches it knows', () => {
    const err = errorOf(() => checkTarget('t', untyped({ goos: 'linux', goarch: 'armv7' })));
    expect(err.path).toBe('target.goarch');
    expect(err.message).toContain('"armv7"');
    expect(err.message).toContain('arm64');
  });

  it('rejects GOARM on arm64', () => {
    const err = errorOf(() => checkTarget('t', { goos: 'linux', goarch: 'arm64', goarm: 7 }));
    expect(err.path).toBe('target.goarm');
    expect(err.message).toContain('GOARM only applies to 32-bit arm');
  });

  it('rejects an out-of-range GOARM and a non-Linux GOOS', () => {
    expect(errorOf(() => checkTarget('t', untyped({ goos: 'linux', goarch: 'arm', goarm: 8 }))).path).toBe('target.goarm');
    expect(errorOf(() => checkTarget('t', untyped({ goos: 'linux', goarch: 'arm', goarm: 5 }))).path).toBe('target.goarm');
    expect(errorOf(() => checkTarget('t', untyped({ goos: 'windows', goarch: 'arm64' }))).path).toBe('target.goos');
  });

  it('rejects a Go arch whose ELF header the script cannot judge', () => {
    expect(errorOf(() => checkTarget('t', untyped({ goos: 'linux', goarch: 'riscv64' }))).message).toContain('whose ELF header the packaging script checks');
    expect(errorOf(() => checkTarget('t', untyped({ goos: 'linux', goarch: 'toString' }))).path).toBe('target.goarch');
  });
});

describe('GoCrossCompiledPackage', () => {
  it('writes a spec with the golang dependency and src/-relative globs', () => {
    const p = pkg();
    expect(p.specText).toBe(
      [
        '---',
        'name: healthcheck_armhf',
        '',
        'dependencies:',
        '  - golang-1.23-linux',
        '',
        'files:',
        '  - code.cloudfoundry.org/go.mod',
        '  - code.cloudfoundry.org/go.sum',
        '  - code.cloudfoundry.org/vendor/modules.txt',
        '  - code.cloudfoundry.org/vendor/**/*',
        '  - code.cloudfoundry.org/healthcheck/**/*.go',
        '',
      ].join('\n'),
    );
    const store = ArtifactStore.of(p);
    expect(store.filesUnder('bosh-packages/armhf/healthcheck_armhf').map(([path, a]) => [path, a.mode])).toEqual([
      ['bosh-packages/armhf/healthcheck_armhf/packaging', 0o755],
      ['bosh-packages/armhf/healthcheck_armhf/spec', 0o644],
    ]);
  });

  it('makes the golang package a prop', () => {
    const p = pkg({ golangPackage: 'golang-1.24-linux' });
    expect(p.spec.dependencies).toEqual(['golang-1.24-linux']);
    expect(p.packagingText).toContain('"${packages_dir}/golang-1.24-linux/bosh/compile.env"');
  });

  it('cross-compiles statically and reproducibly for armhf', () => {
    const s = pkg().packagingText;
    for (const line of ['export GOOS=linux', 'export GOARCH=arm', 'export GOARM=7', 'export CGO_ENABLED=0', 'export GOFLAGS="-mod=vendor -trimpath -buildvcs=false"']) {
      expect(s).toContain(`${line}\n`);
    }
    expect(s).toContain('go build -ldflags="-s -w -buildid=" -o "${BOSH_INSTALL_TARGET}"/healthcheck code.cloudfoundry.org/healthcheck/cmd/healthcheck');
    expect(s).toContain('check_elf "${BOSH_INSTALL_TARGET}"/healthcheck');
    expect(s).not.toContain('ldd');
    // compile.env is sourced only when it exists (a real compile VM); a local emulation uses PATH's Go.
    expect(s).toMatch(/if \[ -f "\$\{packages_dir\}\/golang-1\.23-linux\/bosh\/compile\.env" \]; then\n {2}source /);
  });

  it('leaves GOARM out for arm64', () => {
    const s = pkg({ name: 'healthcheck_arm64', target: { goos: 'linux', goarch: 'arm64' } }).packagingText;
    expect(s).toContain('export GOARCH=arm64\n');
    expect(s).not.toContain('GOARM=');
    expect(s).toContain('unset GOARM\n');
  });

  it('rejects an import path outside the source modules at synth', () => {
    const err = errorOf(() => pkg({ binaries: [{ name: 'nope', importPath: 'code.cloudfoundry.org/nosuchmodule/cmd/nope' }] }));
    expect(err.path).toBe('binaries[0].importPath');
    expect(err.message).toContain('code.cloudfoundry.org/healthcheck');
  });

  it('rejects malformed import paths, duplicate binary names and bad package names', () => {
    expect(errorOf(() => pkg({ binaries: [{ name: 'x', importPath: 'code.cloudfoundry.org/healthcheck//cmd' }] })).path).toBe('binaries[0].importPath');
    const dup = { name: 'healthcheck', importPath: 'code.cloudfoundry.org/healthcheck/cmd/healthcheck' };
    expect(errorOf(() => pkg({ binaries: [dup, dup] })).path).toBe('binaries[1].name');
    expect(errorOf(() => pkg({ name: 'bad name' })).path).toBe('name');
    expect(errorOf(() => pkg({ sourceModules: ['github.com/x/y'] })).path).toBe('sourceModules[0]');
  });

  it('needs a bundled binary\'s package among its dependencies', () => {
    const err = errorOf(() => pkg({ bundle: { file: 'b.tgz', include: [{ fromPackage: 'other', binary: 'x' }] } }));
    expect(err.path).toBe('bundle.include');
  });
});

describe('renderPackagingScript for loose binaries under an install dir (the cell variant\'s upstream packages)', () => {
  const script = renderPackagingScript({
    packageName: 'rep',
    generator: 'CellDiegoVariant',
    golangPackage: 'golang-1.23-linux',
    moduleDir: 'code.cloudfoundry.org',
    target: { goos: 'linux', goarch: 'arm64' },
    binaries: [
      { name: 'rep', importPath: 'code.cloudfoundry.org/rep/cmd/rep' },
      { name: 'gocurl', importPath: 'code.cloudfoundry.org/rep/cmd/gocurl' },
    ],
    installDir: 'bin',
  });

  it('builds each binary where upstream installs it, and ELF-checks each one there', () => {
    expect(script).toContain('# Generated by stack-elevator (CellDiegoVariant) for BOSH package rep; do not edit.\n');
    expect(script).toContain('mkdir -p "${BOSH_INSTALL_TARGET}/bin"\n');
    expect(script).toContain('go build -ldflags="-s -w -buildid=" -o "${BOSH_INSTALL_TARGET}"/bin/rep code.cloudfoundry.org/rep/cmd/rep\n');
    expect(script).toContain('go build -ldflags="-s -w -buildid=" -o "${BOSH_INSTALL_TARGET}"/bin/gocurl code.cloudfoundry.org/rep/cmd/gocurl\n');
    expect(script).toContain('check_elf "${BOSH_INSTALL_TARGET}"/bin/gocurl\ncheck_elf "${BOSH_INSTALL_TARGET}"/bin/rep\n');
    expect(script).toContain('[ "${machine}" = "183" ]');
    expect(script).not.toContain('go version -m');
  });
});

describe('LifecycleBundle', () => {
  function bundle(): LifecycleBundle {
    return new LifecycleBundle(freshStack().stack, 'B', {
      name: 'buildpack_app_lifecycle_armhf',
      target: { goos: 'linux', goarch: 'arm', goarm: 7 },
      artifactDir: 'bosh-packages/armhf',
      healthcheckPackage: 'healthcheck_armhf',
      sshdPackage: 'diego-sshd_armhf',
    });
  }

  it('builds builder, launcher and shell and depends on the healthcheck and sshd packages', () => {
    const b = bundle();
    expect(b.package.spec.dependencies).toEqual(['golang-1.23-linux', 'healthcheck_armhf', 'diego-sshd_armhf']);
    expect(b.package.spec.files).toContain('code.cloudfoundry.org/buildpackapplifecycle/**/*.go');
    const s = b.package.packagingText;
    expect(s).toContain('-o "${staging}"/builder code.cloudfoundry.org/buildpackapplifecycle/builder\n');
    expect(s).toContain('-o "${staging}"/launcher code.cloudfoundry.org/buildpackapplifecycle/launcher\n');
    expect(s).toContain('-o "${staging}"/shell code.cloudfoundry.org/buildpackapplifecycle/shell/shell\n');
    expect(s).toContain('cp "${packages_dir}/healthcheck_armhf/healthcheck" "${staging}/healthcheck"');
    expect(s).toContain('cp "${packages_dir}/diego-sshd_armhf/diego-sshd" "${staging}/diego-sshd"');
  });

  it('tars all five binaries normalized into buildpack_app_lifecycle.tgz, each ELF-checked', () => {
    const s = bundle().package.packagingText;
    for (const n of ['builder', 'diego-sshd', 'healthcheck', 'launcher', 'shell']) expect(s).toContain(`check_elf "\${staging}"/${n}\n`);
    expect(s).toContain('tar --sort=name --mtime="@${SOURCE_DATE_EPOCH:-0}" --owner=0 --group=0 --numeric-owner');
    expect(s).toContain('-C "${staging}" -cf - builder diego-sshd healthcheck launcher shell | gzip -n -9 > "${BOSH_INSTALL_TARGET}/buildpack_app_lifecycle.tgz"');
  });

  it('records the plan entry the cross-compile step checks against', () => {
    expect(bundle().package.planEntry()).toMatchObject({
      name: 'buildpack_app_lifecycle_armhf',
      dependencies: ['healthcheck_armhf', 'diego-sshd_armhf'],
      target: { goos: 'linux', goarch: 'arm', goarm: 7 },
      elf: { elfClass: 1, machine: 40, armEabi5: true },
      bundle: { file: 'buildpack_app_lifecycle.tgz' },
    });
  });
});

/**
 * The packaging script's ELF check, run for real by bash against hand-made headers: it is the only
 * judge of a foreign binary on a compile VM, so it must reject what it claims to reject.
 */
describe('packaging script ELF check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-elf-'));

  function checkScript(goarch: 'arm' | 'arm64'): string {
    const s = pkg(goarch === 'arm' ? {} : { name: 'h64', target: { goos: 'linux', goarch: 'arm64' } }).packagingText;
    const fn = s.slice(s.indexOf('check_elf() {'), s.indexOf('\n}\n', s.indexOf('check_elf() {')) + 3);
    const file = join(dir, `check-${goarch}.sh`);
    writeFileSync(file, `set -euo pipefail\n${fn}check_elf "$1"\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** A minimal ELF header plus program headers of the given types (PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3). */
  function elf(opts: { is64?: boolean; machine?: number; eabi?: number; type?: number; phTypes?: number[] }): string {
    const is64 = opts.is64 ?? false;
    const ehsize = is64 ? 64 : 52;
    const phentsize = is64 ? 56 : 32;
    const ph = opts.phTypes ?? [1];
    const buf = Buffer.alloc(ehsize + phentsize * ph.length);
    buf.writeUInt32BE(0x7f454c46, 0);
    buf[4] = is64 ? 2 : 1;
    buf[5] = 1;
    buf[6] = 1;
    buf.writeUInt16LE(opts.type ?? 2, 16);
    buf.writeUInt16LE(opts.machine ?? (is64 ? 183 : 40), 18);
    if (is64) {
      buf.writeBigUInt64LE(BigInt(ehsize), 32);
      buf.writeUInt16LE(phentsize, 54);
      buf.writeUInt16LE(ph.length, 56);
    } else {
      buf.writeUInt32LE(ehsize, 28);
      buf.writeUInt32LE(((opts.eabi ?? 5) << 24) | 0x400, 36);
      buf.writeUInt16LE(phentsize, 42);
      buf.writeUInt16LE(ph.length, 44);
    }
    ph.forEach((t, i) => buf.writeUInt32LE(t, ehsize + i * phentsize));
    const file = join(dir, `elf-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, buf);
    return file;
  }

  function run(script: string, file: string): { status: number | null; out: string } {
    const r = spawnSync('bash', [script, file], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  }

  it('passes a static 32-bit ARM EABI5 executable', () => {
    const r = run(checkScript('arm'), elf({}));
    expect(r.out).toContain('ELF 32-bit ARM EABI5 executable, statically linked');
    expect(r.status).toBe(0);
  });

  it('fails a dynamically linked one (PT_INTERP or PT_DYNAMIC)', () => {
    expect(run(checkScript('arm'), elf({ phTypes: [1, 3] }))).toMatchObject({ status: 1, out: expect.stringContaining('dynamically linked') });
    expect(run(checkScript('arm'), elf({ phTypes: [2, 1] })).status).toBe(1);
  });

  it('fails the wrong machine, EABI, type or class, with exit status 1 and the reason', () => {
    const rejects = (goarch: 'arm' | 'arm64', file: string, reason: string) => expect(run(checkScript(goarch), file)).toEqual({ status: 1, out: `${file}: ${reason}\n` });
    rejects('arm', elf({ machine: 62 }), 'e_machine 62, expected 40');
    rejects('arm', elf({ eabi: 4 }), 'ARM EABI version is not 5');
    rejects('arm', elf({ type: 3 }), 'e_type 3, expected 2 (a position-dependent executable)');
    rejects('arm', elf({ is64: true }), 'ELF class 2, expected 1 (32-bit)');
    rejects('arm64', elf({ is64: true, machine: 62 }), 'e_machine 62, expected 183');
  });

  it('checks 64-bit program headers for arm64 and rejects a host binary and a non-ELF file', () => {
    expect(run(checkScript('arm64'), elf({ is64: true })).status).toBe(0);
    expect(run(checkScript('arm64'), elf({ is64: true, phTypes: [1, 1, 3] })).status).toBe(1);
    // the x86-64 node binary running this test: a real host executable, not a hand-made header
    expect(run(checkScript('arm64'), process.execPath)).toMatchObject({ status: 1, out: expect.stringMatching(/e_machine 62, expected 183|dynamically linked|e_type 3/) });
    const text = join(dir, 'not-elf.txt');
    writeFileSync(text, 'plain text, long enough to read a header from\n');
    expect(run(checkScript('arm64'), text)).toEqual({ status: 1, out: `${text}: not an ELF file (magic 706c6169)\n` });
  });
});
