import { runMjs } from '../support/mjs';

// Lines of /proc/self/mountinfo: field 5 is the mount point, with a space written as \040.
const MOUNTINFO = [
  '22 1 0:21 / / rw - overlay overlay rw',
  '40 22 0:30 / /work/build/.x.mmdebstrap-9-a/chroot/proc ro - proc proc ro',
  '41 22 0:31 / /work/build/.x.mmdebstrap-9-a/chroot/sys ro - sysfs sys ro',
  '42 41 0:32 / /work/build/.x.mmdebstrap-9-a/chroot/sys/kernel rw - tmpfs t rw',
  '43 22 0:33 / /work/build/.x.mmdebstrap-9-ab/chroot/proc ro - proc proc ro',
  '44 22 0:34 / /work/with\\040space/proc ro - proc proc ro',
].join('\n');

const mountsUnder = (dir: string) => runMjs<string[]>("const { mountsUnder } = await lib('step/mounts'); out(mountsUnder(input.dir, input.mountinfo));", { dir, mountinfo: MOUNTINFO });

describe('mountsUnder', () => {
  it('lists the mounts under a folder, the last mounted first, and no folder that only shares its name\'s start', () => {
    expect(mountsUnder('/work/build/.x.mmdebstrap-9-a')).toEqual([
      '/work/build/.x.mmdebstrap-9-a/chroot/sys/kernel',
      '/work/build/.x.mmdebstrap-9-a/chroot/sys',
      '/work/build/.x.mmdebstrap-9-a/chroot/proc',
    ]);
  });

  it('reads an escaped space in a mount point', () => {
    expect(mountsUnder('/work/with space')).toEqual(['/work/with space/proc']);
  });

  it('finds nothing under a folder with no mounts', () => {
    expect(mountsUnder('/elsewhere')).toEqual([]);
  });
});
