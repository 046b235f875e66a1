package auth_test

import (
	"strings"
	"testing"

	"digigap/auth"
	"digigap/survey"
)

func TestCheckPassword_LengthAndCommonListOnly(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"short12", false}, // 7 characters
		{"zq8-ftw!", true}, // 8 characters
		{"ééééééé", false}, // 7 characters, 14 bytes: length counts characters
		{"correct horse battery staple", true},
		{strings.Repeat("x7", 32), true},    // 64 characters
		{strings.Repeat("k", 128), true},    // the maximum
		{strings.Repeat("k", 129), false},   // over it
		{"lowercase only words here", true}, // no composition rules
		{"password", false},                 // common
		{"PassWord", false},                 // common, whatever the case
		{"iloveyou", false},
		{"qwertyuiop", false},
		{"1qaz2wsx", false},
	}
	for _, tt := range tests {
		err := auth.CheckPassword("password", tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
		if err != nil && (survey.ErrorCode(err) != survey.EINVALID || err.(*survey.Error).Field != "password") {
			t.Errorf("CheckPassword(%q) = %v, want an EINVALID error on field password", tt.pw, err)
		}
	}
}

func TestHashPassword_Argon2idWithOWASPParameters(t *testing.T) {
	h := auth.HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want argon2id with m=19456 KiB (19 MiB), t=2, p=1", h)
	}
	if !auth.VerifyPassword(h, "correct horse battery staple") {
		t.Error("the right password does not verify")
	}
	if auth.VerifyPassword(h, "correct horse battery stapl") {
		t.Error("a wrong password verifies")
	}
	if h == auth.HashPassword("correct horse battery staple") {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=2,p=1$YQ$YQ", "$2a$10$abc", "plain"} {
		if auth.VerifyPassword(bad, "") {
			t.Errorf("VerifyPassword(%q) accepted", bad)
		}
	}
}

func TestCommonPasswords_ARealListShipsWithTheBinary(t *testing.T) {
	if got := auth.CommonPasswordCount(); got < 10000 {
		t.Errorf("common passwords = %d, want a real list (over 10,000)", got)
	}
}
