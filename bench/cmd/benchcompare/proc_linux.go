package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill cmd's process if this one dies, even
// by SIGKILL, so that no server is left behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
