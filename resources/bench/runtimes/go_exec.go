// SPDX-License-Identifier: GPL-3.0-or-later
// spawnlab's runtimes series: what Go pays to spawn a program with os/exec
// (Cmd.Run), timed inside the Go program while it holds a resident ballast
// of a given size, to set beside spawnlab's own strategies.
// Usage: go_exec TARGET RUNS WARMUP SIZE_MB [SIZE_MB ...]
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const page = 4096

var digits = regexp.MustCompile(`^[0-9]+$`)

// os.Stdout is unbuffered, so each line reaches the streaming reader at once.
func say(format string, a ...any) { fmt.Printf(format+"\n", a...) }

func whole(text, name string, minimum int) int {
	n, err := strconv.Atoi(text)
	if !digits.MatchString(text) || err != nil || n < minimum {
		say("error %s must be a whole number >= %d, not %q", name, minimum, text)
		os.Exit(2)
	}
	return n
}

func vmrssKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fields := strings.Fields(s.Text()); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb
		}
	}
	return -1
}

// The worker that started this driver: once it is gone (killed, or the GUI
// with it), nobody reads the samples and the ballast should go too.
var parent = os.Getppid()

// spawn returns the round trip, or false if the spawn failed. Building the
// Cmd is inside the clock: it is part of what a Go user pays.
func spawn(target string) (time.Duration, bool) {
	if os.Getppid() != parent {
		os.Exit(1)
	}
	start := time.Now()
	// Stdin/Stdout/Stderr left nil: os/exec opens /dev/null for them.
	err := exec.Command(target).Run()
	return time.Since(start), err == nil
}

// allocate returns a ballast of n bytes with one byte written per page so it
// is resident, or nil if it cannot be had. Go's own out-of-memory is a fatal
// error (exit 2, nothing on stdout), so the kernel is asked first: an anonymous
// mapping of that size, unmapped at once, fails where the heap would.
func allocate(n int) []byte {
	if n > 0 {
		probe, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE,
			syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			return nil
		}
		syscall.Munmap(probe)
	}
	b := make([]byte, n)
	for i := 0; i < n; i += page {
		b[i] = 1
	}
	return b
}

func main() {
	args := os.Args
	if len(args) < 5 {
		say("error expected TARGET RUNS WARMUP SIZE_MB [SIZE_MB ...]")
		os.Exit(2)
	}
	target := args[1]
	if !filepath.IsAbs(target) {
		say("error TARGET must be an absolute path, not %q", target)
		os.Exit(2)
	}
	runs := whole(args[2], "RUNS", 1)
	warmup := whole(args[3], "WARMUP", 0)
	var sizes []int
	for _, s := range args[4:] {
		mb := whole(s, "SIZE_MB", 0)
		if mb > math.MaxInt>>20 {
			say("error SIZE_MB %s is more bytes than Go can index", s)
			os.Exit(2)
		}
		sizes = append(sizes, mb)
	}

	say("runtime go os/exec %s", runtime.Version())
	for _, mb := range sizes {
		ballast := allocate(mb << 20)
		if ballast == nil {
			say("error cannot allocate a ballast of %d MiB", mb)
			os.Exit(1)
		}
		rss := vmrssKB()
		for i := 0; i < warmup; i++ {
			spawn(target)
		}
		var line strings.Builder
		failures := 0
		for i := 0; i < runs; i++ {
			if d, ok := spawn(target); ok {
				fmt.Fprintf(&line, " %.3f", float64(d.Nanoseconds())/1000)
			} else {
				failures++
			}
		}
		if failures == runs {
			say("error every spawn of %s failed at %d MiB", target, mb)
			os.Exit(1)
		}
		say("cell %d %d %d%s", mb, rss, failures, line.String())
		// Reachable until here, then handed back to the OS before the next
		// size so each VmRSS is its own.
		runtime.KeepAlive(ballast)
		ballast = nil
		runtime.GC()
		debug.FreeOSMemory()
	}
}
