package auth

import (
	"bytes"
	"context"
	"encoding/gob"
	"time"

	"digigap/survey"
)

// SessionStorage lets Fiber's session store (used by its csrf middleware
// to keep each session's CSRF token) read and write the data column of our
// sessions table: the token lives in the server-side session, shared by
// every instance. It implements fiber.Storage.
type SessionStorage struct{ s *Service }

// SessionStorage returns the fiber.Storage over the sessions table.
func (s *Service) SessionStorage() *SessionStorage { return &SessionStorage{s: s} }

// emptyData is Fiber's encoding of a session with no data yet.
var emptyData = func() []byte {
	var b bytes.Buffer
	_ = gob.NewEncoder(&b).Encode(map[string]any{})
	return b.Bytes()
}()

// Get returns a live session's data, or nil (Fiber then starts a new session).
func (m *SessionStorage) Get(id string) ([]byte, error) {
	var r session
	err := m.s.db().Where("id_hash = ?", survey.HashToken(id)).Take(&r).Error
	if err != nil || !r.live(m.s.now().Unix()) {
		return nil, nil
	}
	if len(r.Data) == 0 {
		return emptyData, nil
	}
	return r.Data, nil
}

// Set stores a session's data. A session unknown here is a visitor who is
// not signed in: it gets a row without user, which only holds the CSRF
// token of the login form; signing in then starts a new session.
func (m *SessionStorage) Set(id string, data []byte, _ time.Duration) error {
	h := survey.HashToken(id)
	db := m.s.db().WithContext(context.Background())
	res := db.Model(&session{}).Where("id_hash = ?", h).Update("data", data)
	if res.Error != nil || res.RowsAffected > 0 {
		return translate(res.Error)
	}
	now := m.s.now().Unix()
	return translate(db.Create(&session{IDHash: h, Data: data, CreatedUnix: now, SeenUnix: now}).Error)
}

// Delete ends a session.
func (m *SessionStorage) Delete(id string) error {
	return m.s.Logout(context.Background(), id)
}

// Reset ends every session.
func (m *SessionStorage) Reset() error {
	return translate(m.s.db().Where("1 = 1").Delete(&session{}).Error)
}

// Close releases nothing: the store is closed by its owner.
func (m *SessionStorage) Close() error { return nil }
