package auth

import (
	"bufio"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"digigap/survey"
)

// Password rules (NIST SP 800-63B, OWASP ASVS 2.1): a length range, no
// composition rules, and no password from a list of common ones.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// argon2id parameters: OWASP's minimum for argon2id is 19 MiB of memory,
// 2 iterations and 1 lane.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// commonPasswordsText is the list of common passwords shipped with the
// binary; see commonpasswords.txt for its source and licence.
//
//go:embed commonpasswords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 20000)
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// CheckPassword applies the password rules, with a message the user can act on.
func CheckPassword(field, pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return survey.FieldError(survey.EINVALID, field, "the password is not valid text").Keyed("password_text")
	case n < MinPasswordLength:
		return survey.FieldError(survey.EINVALID, field, "the password needs at least %d characters", MinPasswordLength).Keyed("password_short", MinPasswordLength)
	case n > MaxPasswordLength:
		return survey.FieldError(survey.EINVALID, field, "the password may have at most %d characters", MaxPasswordLength).Keyed("password_long", MaxPasswordLength)
	case commonPasswords()[strings.ToLower(pw)]:
		return survey.FieldError(survey.EINVALID, field, "this password is on a list of common passwords: choose another").Keyed("password_common")
	}
	return nil
}

// HashPassword returns the PHC string of pw under argon2id with a fresh salt.
func HashPassword(pw string) string {
	salt := []byte(randomSecret(argonSaltLen))[:argonSaltLen]
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches a PHC string from HashPassword,
// in constant time; the parameters come from the string, so hashes made
// with older parameters still verify.
func VerifyPassword(hash, pw string) bool {
	var version int
	var mem, iters uint32
	var threads uint8
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil || mem == 0 || iters == 0 || threads == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified when an account does not exist, so that a login
// takes as long for an unknown e-mail as for a wrong password.
var dummyHash = sync.OnceValue(func() string { return HashPassword(randomSecret(16)) })
