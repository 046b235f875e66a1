package auth

// CommonPasswordCount exposes the size of the embedded list to the tests.
func CommonPasswordCount() int { return len(commonPasswords()) }
