package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"digigap/survey"
)

// TOTP settings: RFC 6238 defaults that every authenticator app reads
// (30-second steps, 6 digits, SHA-1), one step of clock skew either way.
const (
	totpPeriod        = 30
	totpSkew          = 1
	RecoveryCodeCount = 10
)

// Audit actions of the second factor.
const (
	AuditTOTPEnabled      = "user.totp_enabled"
	AuditRecoveryCodeUsed = "user.recovery_code_used"
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// errBadCode is the one answer to a wrong code, TOTP or recovery.
var errBadCode = survey.FieldError(survey.EUNAUTH, "code", "this code is wrong or was used already")

// NewTOTPKey makes a fresh TOTP secret for email: the secret in base32 (to
// type into an app) and the otpauth:// URL (for the QR code). Nothing is
// stored until EnableTOTP confirms a code made from it.
func NewTOTPKey(email string) (secret, url string, err error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: "digigap", AccountName: email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return k.Secret(), k.URL(), nil
}

// totpStep returns the time step at which code is valid for secret around
// now, or 0 when it is not.
func totpStep(secret, code string, now time.Time) int64 {
	code = strings.TrimSpace(code)
	for off := -totpSkew; off <= totpSkew; off++ {
		t := now.Add(time.Duration(off*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, t, totpOpts)
		if err == nil && len(code) == len(want) && subtle.ConstantTimeCompare([]byte(code), []byte(want)) == 1 {
			return t.Unix() / totpPeriod
		}
	}
	return 0
}

// EnableTOTP turns the second factor on for u once code proves their app
// holds secret, and returns fresh recovery codes: shown once, stored as
// hashes. Enrolling again replaces the secret and the codes.
func (s *Service) EnableTOTP(ctx context.Context, u *User, secret, code string) ([]string, error) {
	step := totpStep(secret, code, s.now())
	if step == 0 {
		return nil, survey.FieldError(survey.EINVALID, "code", "this code does not match: check the clock of your phone and type the current code")
	}
	codes := make([]string, RecoveryCodeCount)
	err := s.db().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"totp_secret": secret,
			"totp_enabled": true, "totp_last_step": step, "updated_at": tx.NowFunc()}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&recoveryCode{}).Error; err != nil {
			return err
		}
		for i := range codes {
			codes[i] = newRecoveryCode()
			if err := tx.Create(&recoveryCode{UserID: u.ID, CodeHash: hashRecoveryCode(codes[i])}).Error; err != nil {
				return err
			}
		}
		return survey.RecordAudit(tx, ctx, AuditTOTPEnabled, userObject(u), survey.DataDetail(u.Email))
	})
	if err != nil {
		return nil, translate(err)
	}
	return codes, nil
}

// VerifySecondFactor checks a TOTP code, or else a recovery code (which is
// then spent), for u. Wrong codes are throttled per account, whatever the
// address: whoever types them already has the password.
func (s *Service) VerifySecondFactor(ctx context.Context, u *User, code string) error {
	key := survey.HashToken("totp\x00" + itoa(u.ID))
	if err := s.checkThrottle(ctx, key); err != nil {
		return err
	}
	ok, err := s.spendCode(ctx, u, code)
	if err != nil {
		return err
	}
	if !ok {
		return errors.Join(errBadCode, s.recordFailure(ctx, key))
	}
	return translate(s.db().WithContext(ctx).Where("pair_hash = ?", key).Delete(&loginFailure{}).Error)
}

// spendCode accepts a TOTP code of a step later than the last one used, or
// an unused recovery code; either is then used up, in one statement, so
// two requests racing with one code cannot both pass.
func (s *Service) spendCode(ctx context.Context, u *User, code string) (bool, error) {
	db := s.db().WithContext(ctx)
	if step := totpStep(u.TOTPSecret, code, s.now()); step != 0 && u.TOTPEnabled {
		res := db.Model(&User{}).Where("id = ? AND totp_last_step < ?", u.ID, step).Update("totp_last_step", step)
		return res.RowsAffected == 1, translate(res.Error)
	}
	var spent bool
	err := db.Transaction(func(tx *gorm.DB) error {
		res := tx.Where("user_id = ? AND code_hash = ?", u.ID, hashRecoveryCode(code)).Delete(&recoveryCode{})
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		spent = true
		return survey.RecordAudit(tx, survey.WithActor(ctx, u.Actor()), AuditRecoveryCodeUsed, userObject(u), survey.DataDetail(u.Email))
	})
	return spent, translate(err)
}

// recoveryCode is the hash of one unused recovery code.
type recoveryCode struct {
	UserID   int64  `gorm:"primaryKey"`
	CodeHash string `gorm:"primaryKey"`
}

// newRecoveryCode is 10 base32 characters (50 random bits), as xxxxx-xxxxx.
func newRecoveryCode() string {
	t := strings.ToLower(rand.Text()[:10])
	return t[:5] + "-" + t[5:]
}

// hashRecoveryCode ignores case, spaces and dashes, as people type them.
func hashRecoveryCode(code string) string {
	c := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(code))
	return survey.HashToken("recovery\x00" + c)
}
