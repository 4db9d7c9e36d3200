// Command grade runs the repository's exercises and reports the learner's
// progress, rustlings style. Run it from anywhere inside the module:
//
//	go run ./exercises/grade          grade every exercise, show what to do next
//	go run ./exercises/grade help     the learner's commands
//
// Each exercise is a Go package under exercises/<id> whose stub the learner
// edits until its tests pass; exercises/manifest.json lists them in order.
// The maintainers' commands, verify and rehash, are described in
// exercises/MAINTAINERS.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
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

// command is one subcommand: its argument count and what it runs.
type command struct {
	args int
	run  func(ctx context.Context, a *app, args []string) error
}

// commands maps names to commands. verify and rehash are the maintainers'
// (exercises/MAINTAINERS.md) and stay out of the learner's help.
var commands = map[string]command{
	"grade":  {0, cmdGrade},
	"run":    {1, cmdRun},
	"list":   {0, cmdList},
	"hint":   {1, cmdHint},
	"watch":  {0, cmdWatch},
	"reset":  {1, cmdReset},
	"verify": {0, cmdVerify},
	"rehash": {0, cmdRehash},
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	zh := chineseLocale()
	for i := 0; i+1 < len(args); i++ { // -lang may come anywhere
		if args[i] == "-lang" || args[i] == "--lang" {
			zh, args = strings.HasPrefix(args[i+1], "zh"), append(args[:i:i], args[i+2:]...)
			break
		}
	}
	name := "grade"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		printUsage(stdout, zh)
		return exitOK
	}
	a, err := newApp(ctx, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "grade:", err)
		return exitFail
	}
	a.zh = zh
	cmd, ok := commands[name]
	if !ok && len(args) == 0 { // `grade v0.1-bind` is `grade run v0.1-bind`
		if m, err := a.loadManifest(); err == nil && slices.Contains(m.IDs(), name) {
			cmd, ok, args = commands["run"], true, []string{name}
		}
	}
	if !ok || len(args) != cmd.args {
		fmt.Fprintf(stderr, a.tr("grade: unknown command or wrong arguments: %s\n\n", "grade：未知的命令或参数不对：%s\n\n"),
			strings.Join(append([]string{name}, args...), " "))
		printUsage(stderr, zh)
		return exitUsage
	}
	return a.exitStatus(cmd.run(ctx, a, args))
}

// exitStatus reports err (if not already reported) and maps it to a status.
func (a *app) exitStatus(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(a.stderr, a.tr("\ngrade: interrupted", "\ngrade：已中断"))
		return exitInterrupted
	case errors.Is(err, errReported):
		return exitFail
	default:
		fmt.Fprintln(a.stderr, "grade:", err)
		return exitFail
	}
}

// printUsage writes the learner's help text.
func printUsage(w io.Writer, zh bool) {
	if zh {
		fmt.Fprint(w, `用法：make grade ARGS="[-lang zh|en] [命令]"
  或：go run ./exercises/grade [-lang zh|en] [命令]

修改每道练习的 exercise.go，直到它的测试全部通过；评分器记分。

命令：
  (不写)     给所有练习评分，并说明下一步做什么
  run ID     只评 ID 这一道，显示完整输出（也可以直接写 ID）
  list       列出所有练习和完成情况
  hint ID    显示 ID 的提示
  watch      每次保存后重新评分（Ctrl-C 退出）
  reset ID   把 ID 的 exercise.go 和测试恢复成仓库发布时的样子（你的修改会丢失）
  help       显示本帮助

语言按 LANG 选择（zh* 为中文），也可以用 -lang 指定。
`)
		return
	}
	fmt.Fprint(w, `Usage: make grade ARGS="[-lang en|zh] [command]"
   or: go run ./exercises/grade [-lang en|zh] [command]

Edit each exercise's exercise.go until its tests pass; the grader scores you.

Commands:
  (none)     grade every exercise and show what to do next
  run ID     grade exercise ID alone, with its full output (or just: ID)
  list       list the exercises and which ones are solved
  hint ID    show the hint for exercise ID
  watch      re-grade whenever you save (Ctrl-C stops)
  reset ID   restore ID's exercise.go and tests as shipped (your edits are lost)
  help       show this help

The language follows LANG (zh* for Chinese), or -lang.
`)
}

// cmdHint prints the exercise's hint, in Chinese if asked and available.
func cmdHint(_ context.Context, a *app, args []string) error {
	ex, err := a.lookupExercise(args[0])
	if err != nil {
		return err
	}
	hint, err := os.ReadFile(filepath.Join(a.exerciseDir(ex), a.tr("HINT.md", "HINT.zh.md")))
	if err != nil && a.zh {
		hint, err = os.ReadFile(filepath.Join(a.exerciseDir(ex), "HINT.md"))
	}
	if err != nil {
		return fmt.Errorf("no hint for %s: %w", ex.ID, err)
	}
	fmt.Fprintf(a.stdout, a.tr("Hint for %s: %s\n\n", "%s 的提示：%s\n\n"), a.style.bold(ex.ID), a.title(ex))
	fmt.Fprintln(a.stdout, strings.TrimRight(string(hint), "\n"))
	return nil
}
