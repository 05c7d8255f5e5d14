//go:build !linux

package haproxyrun

import (
	"os"
	"os/exec"
)

func setProcAttrs(cmd *exec.Cmd) {}

func killProc(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// softStopSignal: SIGUSR1 is not portable; HAProxy is only run on Linux.
func softStopSignal(cmd *exec.Cmd) error { return cmd.Process.Signal(os.Interrupt) }
