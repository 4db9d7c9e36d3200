// Package leaktest holds what the bench module's leak checks must ignore.
package leaktest

import "go.uber.org/goleak"

// GnetOptions ignores the two goroutines of the worker pool gnet starts when
// its package is initialised: they belong to the process, not to any server,
// and no Stop can end them. Test packages that link gnet pass these to
// goleak.VerifyTestMain.
func GnetOptions() []goleak.Option {
	return []goleak.Option{
		goleak.IgnoreTopFunction("github.com/panjf2000/ants/v2.(*poolCommon).purgeStaleWorkers"),
		goleak.IgnoreTopFunction("github.com/panjf2000/ants/v2.(*poolCommon).ticktock"),
	}
}
