// Package version orders the names of zinx versions ("v0.1" … "v1.0-epoll")
// for the load tool's servers and its report.
package version

// Key turns "v1.0-epoll" into [1 0]: the numbers in the name, in order, so
// that slices.Compare sorts versions as a reader expects (v0.9 before
// v0.10). A name that is not a version ("stdlib", "gnet") gives nil.
func Key(name string) []int {
	if len(name) < 2 || name[0] != 'v' || name[1] < '0' || name[1] > '9' {
		return nil
	}
	var key []int
	n, in := 0, false
	for _, r := range name {
		if '0' <= r && r <= '9' {
			n, in = n*10+int(r-'0'), true
			continue
		}
		if in {
			key = append(key, n)
		}
		n, in = 0, false
	}
	if in {
		key = append(key, n)
	}
	return key
}
