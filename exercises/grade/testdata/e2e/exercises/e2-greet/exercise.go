//go:build !solution

package greet

// Greet returns "hello, " followed by name.
func Greet(name string) string {
	panic("TODO")
}
