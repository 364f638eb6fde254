// hello-arm: the try-app sample. A static web server that answers GET / with the machine it runs on
// (uname -m, as the kernel or qemu reports it) and the GOARCH it was built for, so the response proves
// the app runs on the stack's arch. Build it for the stack (see README.md), push it with the binary
// buildpack and the start command ./hello-arm.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
	"syscall"
)

func cString[T int8 | uint8](b []T) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		out = append(out, byte(c))
	}
	return string(out)
}

func machine() string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return cString(u.Machine[:])
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from stack-elevator: uname -m=%s GOARCH=%s GOOS=%s INSTANCE_INDEX=%s\n", machine(), runtime.GOARCH, runtime.GOOS, os.Getenv("INSTANCE_INDEX"))
	})
	log.Printf("hello-arm listening on :%s (uname -m=%s, GOARCH=%s)", port, machine(), runtime.GOARCH)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
