// Command grade runs the repository's exercises and reports the learner's
// progress, rustlings style. Run it from anywhere inside the module:
//
//	go run ./exercises/grade          grade every exercise, show what to do next
//	go run ./exercises/grade help     all commands
//
// Each exercise is a Go package under exercises/<id> whose stub the learner
// edits until its tests pass; exercises/manifest.json lists them in order.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses. Failing exercises are not an error: grading succeeded.
const (
	exitOK          = 0
	exitFail        = 1   // something is broken, or verify found problems
	exitUsage       = 2   // bad command line
	exitInterrupted = 130 // Ctrl-C, as shells report it
)

// errReported means the command already explained the failure on its
// output; main only has to set the exit status.
var errReported = errors.New("failure already reported")

func main() {
	// Ctrl-C cancels ctx, which stops a running go test and ends watch.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	name := "grade"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		printUsage(stdout)
		return exitOK
	}
	cmd, ok := lookupCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "grade: unknown command %q\n\n", name)
		printUsage(stderr)
		return exitUsage
	}
	if len(args) != len(cmd.args) {
		fmt.Fprintf(stderr, "usage: go run ./exercises/grade %s\n", cmd.synopsis())
		return exitUsage
	}
	a, err := newApp(ctx, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "grade:", err)
		return exitFail
	}
	return a.exitStatus(cmd.run(ctx, a, args))
}

// exitStatus reports err (if not already reported) and maps it to a status.
func (a *app) exitStatus(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.stderr, "\ngrade: interrupted")
		return exitInterrupted
	case errors.Is(err, errReported):
		return exitFail
	default:
		fmt.Fprintln(a.stderr, "grade:", err)
		return exitFail
	}
}
