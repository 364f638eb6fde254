// se-garden-probe drives Garden through its own Go client (code.cloudfoundry.org/garden, the
// pinned tree's module, vendored) from inside the test VM: for each of an unprivileged and a
// privileged container it creates the container from a raw:// rootfs, runs `uname -m`, streams a
// file in and back out, and destroys it. Each result is one line on stdout,
//   SE-PROBE {"step":"...","privileged":false,"ok":true,"ms":123,"out":"...","err":"..."}
// so that the host side reads them from the VM's console. It is built for the VM's arch in the
// garden module of the pinned tree (see build-probe.sh) and is never part of a release.
package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"code.cloudfoundry.org/garden"
	"code.cloudfoundry.org/garden/client"
	"code.cloudfoundry.org/garden/client/connection"
)

type result struct {
	Step       string `json:"step"`
	Privileged bool   `json:"privileged"`
	OK         bool   `json:"ok"`
	Ms         int64  `json:"ms"`
	Out        string `json:"out,omitempty"`
	Err        string `json:"err,omitempty"`
}

func report(r result) {
	line, _ := json.Marshal(r)
	fmt.Printf("SE-PROBE %s\n", line)
}

// timed runs one step, reports it and says whether it worked.
func timed(step string, privileged bool, f func() (string, error)) bool {
	start := time.Now()
	out, err := f()
	r := result{Step: step, Privileged: privileged, OK: err == nil, Ms: time.Since(start).Milliseconds(), Out: out}
	if err != nil {
		r.Err = err.Error()
	}
	report(r)
	return err == nil
}

func tarOf(name, content string) (*bytes.Buffer, error) {
	buf := &bytes.Buffer{}
	w := tar.NewWriter(buf)
	if err := w.WriteHeader(&tar.Header{Name: name, Mode: 0644, Size: int64(len(content)), Typeflag: tar.TypeReg}); err != nil {
		return nil, err
	}
	if _, err := w.Write([]byte(content)); err != nil {
		return nil, err
	}
	return buf, w.Close()
}

func fileFromTar(r io.Reader) (string, error) {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err != nil {
			return "", fmt.Errorf("no regular file in the streamed-out tar: %w", err)
		}
		if h.Typeflag == tar.TypeReg {
			b, err := io.ReadAll(tr)
			return string(b), err
		}
	}
}

func run(c garden.Container, user string, path string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	p, err := c.Run(garden.ProcessSpec{Path: path, Args: args, User: user}, garden.ProcessIO{Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		return "", err
	}
	code, err := p.Wait()
	if err != nil {
		return "", err
	}
	if code != 0 {
		return stdout.String(), fmt.Errorf("%s exited %d: %s", path, code, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

func cycle(gc garden.Client, rootfs string, privileged bool) bool {
	handle := fmt.Sprintf("se-probe-%v-%d", privileged, time.Now().UnixNano())
	var c garden.Container
	start := time.Now()
	ok := timed("create", privileged, func() (string, error) {
		var err error
		c, err = gc.Create(garden.ContainerSpec{Handle: handle, Image: garden.ImageRef{URI: "raw://" + rootfs}, Privileged: privileged})
		return handle, err
	})
	if !ok {
		return false
	}
	ok = timed("uname", privileged, func() (string, error) { return run(c, "root", "uname", "-m") }) && ok
	content := fmt.Sprintf("streamed through nstar, privileged=%v\n", privileged)
	ok = timed("stream-in", privileged, func() (string, error) {
		t, err := tarOf("se-probe.txt", content)
		if err != nil {
			return "", err
		}
		return "", c.StreamIn(garden.StreamInSpec{Path: "/tmp/se-probe", User: "root", TarStream: t})
	}) && ok
	ok = timed("stream-out", privileged, func() (string, error) {
		r, err := c.StreamOut(garden.StreamOutSpec{Path: "/tmp/se-probe/se-probe.txt", User: "root"})
		if err != nil {
			return "", err
		}
		defer r.Close()
		got, err := fileFromTar(r)
		if err != nil {
			return "", err
		}
		if got != content {
			return got, fmt.Errorf("streamed out %q, streamed in %q", got, content)
		}
		return strings.TrimSpace(got), nil
	}) && ok
	ok = timed("destroy", privileged, func() (string, error) { return "", gc.Destroy(handle) }) && ok
	report(result{Step: "cycle", Privileged: privileged, OK: ok, Ms: time.Since(start).Milliseconds()})
	return ok
}

func main() {
	socket := flag.String("socket", "/run/garden.sock", "gdn's unix socket")
	rootfs := flag.String("rootfs", "/rootfs", "directory used as raw:// rootfs of the privileged container")
	rootfsUnprivileged := flag.String("rootfs-unprivileged", "/rootfs", "directory used as raw:// rootfs of the unprivileged container (owned by the container's root id)")
	cycles := flag.Int("cycles", 1, "container cycles per kind")
	wait := flag.Duration("wait", 60*time.Second, "how long to wait for gdn to answer ping")
	flag.Parse()

	gc := client.New(connection.New("unix", *socket))
	deadline := time.Now().Add(*wait)
	if !timed("ping", false, func() (string, error) {
		for {
			err := gc.Ping()
			if err == nil || time.Now().After(deadline) {
				return "", err
			}
			time.Sleep(200 * time.Millisecond)
		}
	}) {
		os.Exit(1)
	}
	all := true
	for i := 0; i < *cycles; i++ {
		all = cycle(gc, *rootfsUnprivileged, false) && all
		all = cycle(gc, *rootfs, true) && all
	}
	report(result{Step: "done", OK: all})
	if !all {
		os.Exit(1)
	}
}
