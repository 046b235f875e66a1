package survey_test

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// dbSnapshot is what an insider copies at one moment: the database file
// and its write-ahead log, byte for byte.
type dbSnapshot struct{ db, wal []byte }

// walGeneration is one life of a WAL (between two resets), identified by
// its salts: the longest copy of it and the database file it started from.
type walGeneration struct {
	salt   [8]byte
	base   []byte
	frames []walFrame
}

type walFrame struct {
	page   uint32
	commit uint32 // database size in pages after this frame's commit; 0 if not a commit frame
	data   []byte
}

// parseWAL returns the valid frames of a WAL copy (salts and cumulative
// checksums match the header), as SQLite's own recovery reads them.
func parseWAL(wal []byte) (salt [8]byte, frames []walFrame, ok bool) {
	if len(wal) < 32 {
		return salt, nil, false
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch binary.BigEndian.Uint32(wal) {
	case 0x377f0683:
		order = binary.BigEndian
	case 0x377f0682:
	default:
		return salt, nil, false
	}
	pageSize := int(binary.BigEndian.Uint32(wal[8:]))
	copy(salt[:], wal[16:24])
	s0, s1 := walChecksum(wal[:24], 0, 0, order)
	for off := 32; off+24+pageSize <= len(wal); off += 24 + pageSize {
		h := wal[off : off+24]
		if !bytes.Equal(h[8:16], salt[:]) {
			break
		}
		s0, s1 = walChecksum(h[:8], s0, s1, order)
		s0, s1 = walChecksum(wal[off+24:off+24+pageSize], s0, s1, order)
		if s0 != binary.BigEndian.Uint32(h[16:]) || s1 != binary.BigEndian.Uint32(h[20:]) {
			break
		}
		frames = append(frames, walFrame{page: binary.BigEndian.Uint32(h), commit: binary.BigEndian.Uint32(h[4:]), data: wal[off+24 : off+24+pageSize]})
	}
	return salt, frames, true
}

func walChecksum(b []byte, s0, s1 uint32, order binary.ByteOrder) (uint32, uint32) {
	for i := 0; i+8 <= len(b); i += 8 {
		s0 += order.Uint32(b[i:]) + s1
		s1 += order.Uint32(b[i+4:]) + s0
	}
	return s0, s1
}

// walGenerations groups snapshots by WAL generation, keeping for each the
// longest copy of its log and the first database file seen with it.
func walGenerations(snaps []dbSnapshot) []*walGeneration {
	var out []*walGeneration
	bySalt := map[[8]byte]*walGeneration{}
	for _, s := range snaps {
		salt, frames, ok := parseWAL(s.wal)
		if !ok || len(frames) == 0 {
			continue
		}
		g := bySalt[salt]
		if g == nil {
			g = &walGeneration{salt: salt, base: s.db}
			bySalt[salt] = g
			out = append(out, g)
		}
		if len(frames) > len(g.frames) {
			g.frames = frames
		}
	}
	return out
}

// replay calls fn with the database as it was before the generation's
// first commit, then after each commit, each opened read-only from a
// reconstructed file, as an insider with the copies would.
func (g *walGeneration) replay(t *testing.T, fn func(db *sql.DB)) {
	t.Helper()
	state := bytes.Clone(g.base)
	open := func() {
		path := filepath.Join(t.TempDir(), "state.db")
		b := bytes.Clone(state)
		if len(b) > 19 {
			b[18], b[19] = 1, 1 // rollback journal: no -wal or -shm needed to read it
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		fn(db)
	}
	open()
	for _, f := range g.frames {
		size := len(f.data)
		end := int(f.page) * size
		if len(state) < end {
			state = append(state, make([]byte, end-len(state))...)
		}
		copy(state[end-size:end], f.data)
		if f.commit != 0 {
			state = state[:int(f.commit)*size]
			open()
		}
	}
}
