package survey

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
)

// stageIDs numbers the rows of the mixing stage from a random start, so
// that a commit's sealed rows go at the end of the stage's key rather than
// at random places in it: they then share a few pages, written once each,
// where random ids touched a page apiece (7 KB fewer written per answer on
// the load test, README "Performance"). The number tells nothing a row's
// commit does not tell already (which rows arrived in which order, while
// they wait), and it goes with the row at the flush; the answer's own id,
// in responses, stays random. The start is random so that two processes,
// or one restarted, do not count into each other's ids (2^62 of room).
type stageIDs struct{ last atomic.Uint64 }

func newStageIDs() *stageIDs {
	var b [8]byte
	_, _ = rand.Read(b[:])
	g := &stageIDs{}
	g.last.Store(binary.BigEndian.Uint64(b[:]) >> 2)
	return g
}

// next is the id of a new stage row: 16 hex digits, so that the order of
// the strings is the order of the numbers.
func (g *stageIDs) next() string {
	return fmt.Sprintf("%016x", g.last.Add(1))
}

// pendingAnswer is one answer in the mixing stage. The row stored for it
// in pending_responses holds only its campaign, an id (stageIDs, not the
// response's) and this, sealed: a reader of the database or its WAL learns
// that someone answered, not what, for which team, or as which response.
type pendingAnswer struct {
	ID        string // the pending row's id
	Response  Response
	TokenHash string // an invitation's, whose team the flush reads; "" for a team link
}

// errPendingKey says a pending answer does not open with this key.
var errPendingKey = errors.New("a pending answer does not open with the mixing key: the key file is not the one the answers were sealed with")

// sealedSize is the size every sealed answer of def is padded to: the
// longest possible answer, so that the length of a pending row says
// nothing about its comment.
func sealedSize(def *Definition) int {
	n := 128 + 4*len(def.Items()) // ids, token hash, day, team; codes take at most 4 bytes an item
	for _, it := range def.Items() {
		if it.Kind == KindText {
			n += 4 * it.MaxLength // runes of at most 4 bytes
		}
	}
	return (n + 255) / 256 * 256
}

// seal encodes and encrypts a for campaign, padded to size; the campaign
// and pending id are bound in, so a sealed answer cannot be moved.
func seal(aead cipher.AEAD, a *pendingAnswer, size int) []byte {
	plain := make([]byte, 0, size)
	for _, f := range []string{a.Response.ID, a.TokenHash, a.Response.Day, string(a.Response.Codes), a.Response.Comment} {
		plain = binary.AppendUvarint(plain, uint64(len(f)))
		plain = append(plain, f...)
	}
	plain = binary.AppendVarint(plain, a.Response.TeamID)
	if len(plain) < size {
		plain = plain[:size] // zero padding, ignored when opened
	}
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	_, _ = rand.Read(out)
	return aead.Seal(out, out, plain, pendingAAD(a.Response.CampaignID, a.ID))
}

// openSealed decrypts one pending row of campaign.
func openSealed(aead cipher.AEAD, campaignID int64, id string, sealed []byte) (*pendingAnswer, error) {
	ns := aead.NonceSize()
	if len(sealed) < ns {
		return nil, errPendingKey
	}
	plain, err := aead.Open(nil, sealed[:ns], sealed[ns:], pendingAAD(campaignID, id))
	if err != nil {
		return nil, errPendingKey
	}
	var fields [5]string
	for i := range fields {
		n, k := binary.Uvarint(plain)
		if k <= 0 || uint64(len(plain)-k) < n {
			return nil, errors.New("a pending answer is malformed")
		}
		fields[i], plain = string(plain[k:k+int(n)]), plain[k+int(n):]
	}
	team, k := binary.Varint(plain)
	if k <= 0 {
		return nil, errors.New("a pending answer is malformed")
	}
	a := &pendingAnswer{ID: id, TokenHash: fields[1]}
	a.Response = Response{ID: fields[0], CampaignID: campaignID, TeamID: team, Day: fields[2], Codes: []byte(fields[3]), Comment: fields[4]}
	return a, nil
}

func pendingAAD(campaignID int64, id string) []byte {
	return append(binary.BigEndian.AppendUint64([]byte("digigap pending v1 "), uint64(campaignID)), id...)
}
