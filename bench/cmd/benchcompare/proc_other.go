//go:build !linux

package main

import "os/exec"

// dieWithParent does nothing where the kernel cannot tie a child's life to
// its parent's: a benchcompare killed outright may leave a server running.
// The measurements need Linux's /proc in any case.
func dieWithParent(*exec.Cmd) {}
