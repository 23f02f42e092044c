//go:build !windows

package credentials

import "os"

// insecureMode reports whether anyone but the owner may read or write the
// file; either lets another account steal or replace the tokens.
func insecureMode(m os.FileMode) bool { return m.Perm()&0o077 != 0 }
