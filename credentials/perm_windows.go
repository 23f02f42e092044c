//go:build windows

package credentials

import "os"

// insecureMode is always false on Windows: Go reports synthetic permission
// bits there, and the file lives in the user's own profile, protected by ACLs.
func insecureMode(os.FileMode) bool { return false }
