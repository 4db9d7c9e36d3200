package hidden

import "testing"

// A test under a testdata directory is a fixture, not a test of the repository.
func TestOnlyInTestdata(t *testing.T) {}
