package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"digigap/auth"
	"digigap/survey"
)

// enrol turns TOTP on for u and returns its secret and recovery codes.
func enrol(t *testing.T, acc *auth.Service, u *auth.User, clk *clock) (string, []string) {
	t.Helper()
	secret, url, err := auth.NewTOTPKey(u.Email)
	if err != nil || len(secret) < 16 || url == "" {
		t.Fatalf("NewTOTPKey = %q, %q, %v", secret, url, err)
	}
	code, _ := totp.GenerateCode(secret, clk.Now())
	codes, err := acc.EnableTOTP(context.Background(), u, secret, code)
	if err != nil {
		t.Fatal(err)
	}
	return secret, codes
}

func TestTOTP_EnrolmentNeedsACodeAndStoresOnlyHashedRecoveryCodes(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, clk *clock) {
		ctx := context.Background()
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		secret, _, _ := auth.NewTOTPKey(hr.Email)
		if _, err := acc.EnableTOTP(ctx, hr, secret, "000000"); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("enrolment with a wrong code: %v, want EINVALID", err)
		}
		if u, _ := acc.User(ctx, hr.ID); u.TOTPEnabled {
			t.Fatal("TOTP is on after a refused enrolment")
		}
		_, codes := enrol(t, acc, hr, clk)
		if len(codes) != auth.RecoveryCodeCount {
			t.Fatalf("recovery codes = %d, want %d", len(codes), auth.RecoveryCodeCount)
		}
		var clear int64
		st.DB().Raw("SELECT COUNT(*) FROM recovery_codes WHERE code_hash IN ?", codes).Scan(&clear)
		if clear != 0 {
			t.Error("recovery codes are stored in clear")
		}
		if u, _ := acc.User(ctx, hr.ID); !u.TOTPEnabled {
			t.Error("TOTP is off after enrolment")
		}
	})
}

func TestTOTP_CodeWorksOnceAndWrongCodesAreThrottled(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, _ *survey.Store, clk *clock) {
		ctx := context.Background()
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		secret, _ := enrol(t, acc, hr, clk)
		clk.Advance(30 * time.Second)
		hr, _ = acc.User(ctx, hr.ID)
		code, _ := totp.GenerateCode(secret, clk.Now())
		if err := acc.VerifySecondFactor(ctx, hr, code); err != nil {
			t.Fatalf("the current code: %v", err)
		}
		if err := acc.VerifySecondFactor(ctx, hr, code); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("the same code again: %v, want EUNAUTH (a code works once)", err)
		}
		for i := 0; i < auth.MaxFailures-1; i++ {
			acc.VerifySecondFactor(ctx, hr, "123456")
		}
		clk.Advance(30 * time.Second)
		good, _ := totp.GenerateCode(secret, clk.Now())
		if err := acc.VerifySecondFactor(ctx, hr, good); survey.ErrorCode(err) != survey.ETOOMANY {
			t.Errorf("a right code after %d wrong ones: %v, want ETOOMANY", auth.MaxFailures, err)
		}
		clk.Advance(auth.ThrottleWindow)
		good, _ = totp.GenerateCode(secret, clk.Now())
		if err := acc.VerifySecondFactor(ctx, hr, good); err != nil {
			t.Errorf("a right code after the throttle window: %v", err)
		}
	})
}

func TestTOTP_RecoveryCodeWorksOnce(t *testing.T) {
	each(t, func(t *testing.T, acc *auth.Service, st *survey.Store, clk *clock) {
		ctx := context.Background()
		hr := mustCreate(t, acc, auth.UserInput{Email: "hr@bank.example", Role: auth.RoleHR})
		_, codes := enrol(t, acc, hr, clk)
		hr, _ = acc.User(ctx, hr.ID)
		if err := acc.VerifySecondFactor(ctx, hr, " "+codes[3]+" "); err != nil {
			t.Fatalf("a recovery code: %v", err)
		}
		if err := acc.VerifySecondFactor(ctx, hr, codes[3]); survey.ErrorCode(err) != survey.EUNAUTH {
			t.Errorf("the same recovery code again: %v, want EUNAUTH", err)
		}
		if err := acc.VerifySecondFactor(ctx, hr, codes[4]); err != nil {
			t.Errorf("another recovery code: %v", err)
		}
		var used int64
		st.DB().Raw("SELECT COUNT(*) FROM audit_log WHERE action = ?", auth.AuditRecoveryCodeUsed).Scan(&used)
		if used != 2 {
			t.Errorf("audited recovery code uses = %d, want 2", used)
		}
	})
}
