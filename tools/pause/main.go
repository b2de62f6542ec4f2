// Command pause is the pod sandbox's process: it holds the pod's namespaces, reaps orphaned children
// (it is PID 1 of the sandbox) and exits on SIGTERM/SIGINT. Built here because the usual
// registry.k8s.io/pause image cannot be pulled (no registry is reachable).
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for s := range sigs {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		// Reap every exited child; WNOHANG so an idle sandbox never blocks here.
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
