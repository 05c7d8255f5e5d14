//go:build linux

package haproxyrun

import (
	"os/exec"
	"syscall"
)

// setProcAttrs puts the child in its own process group (so killProc also
// reaches anything it may have spawned) and makes the kernel kill it if
// the test process dies (e.g. `go test` timeout panic) before Run could
// stop it.
func setProcAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killProc sends SIGKILL to the child's process group (its pgid is its
// pid, see setProcAttrs), then to the child itself.
func killProc(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}

// softStopSignal asks HAProxy for a soft stop (SIGUSR1).
func softStopSignal(cmd *exec.Cmd) error { return cmd.Process.Signal(syscall.SIGUSR1) }
