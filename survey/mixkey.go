package survey

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// DefaultPostgresMixKeyFile is where the mixing key lives for PostgreSQL
// when no path is given: in the working directory, a file every instance
// of one deployment must share.
const DefaultPostgresMixKeyFile = "digigap.mixkey"

// MixKeyFile is the key file used for dsn when none is configured: beside
// the database file for SQLite (<file>.mixkey), DefaultPostgresMixKeyFile
// for PostgreSQL.
func MixKeyFile(dsn, configured string) string {
	switch {
	case configured != "":
		return configured
	case IsPostgresDSN(dsn):
		return DefaultPostgresMixKeyFile
	}
	return strings.TrimPrefix(dsn, "sqlite://") + ".mixkey"
}

// loadMixKey reads the mixing key from path, creating it (32 random bytes,
// hex, mode 0600) when the file does not exist. The key is kept out of the
// database on purpose: a copy of the database alone cannot open the
// answers waiting in the mixing stage.
func loadMixKey(path string) (cipher.AEAD, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := createMixKey(path); err != nil {
			return nil, fmt.Errorf("cannot create the mixing key file %s: %w", path, err)
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the mixing key file %s (set --mix-key-file or DIGIGAP_MIX_KEY_FILE): %w", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != chacha20poly1305.KeySize {
		return nil, fmt.Errorf("the mixing key file %s does not hold a key (64 hexadecimal digits)", path)
	}
	return chacha20poly1305.NewX(key)
}

// createMixKey writes a new key to a temporary file and links it into
// place, so that two instances starting together end up with one key and
// neither reads a half-written file.
func createMixKey(path string) error {
	key := make([]byte, chacha20poly1305.KeySize)
	_, _ = rand.Read(key)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mixkey-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}

// checkMixKey refuses to start with a key that does not open the answers
// already waiting: flushes would fail later, far from the cause.
func (s *Store) checkMixKey(ctx context.Context) error {
	var rows []struct {
		CampaignID int64
		ID         string
		Sealed     []byte
	}
	if err := s.db.WithContext(ctx).Raw("SELECT campaign_id, id, sealed FROM pending_responses LIMIT 1").Scan(&rows).Error; err != nil {
		return fmt.Errorf("cannot read the mixing stage: %w", err)
	}
	for _, r := range rows {
		if _, err := openSealed(s.mix, r.CampaignID, r.ID, r.Sealed); err != nil {
			return fmt.Errorf("%v (check --mix-key-file)", err)
		}
	}
	return nil
}
